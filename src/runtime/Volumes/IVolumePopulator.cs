namespace Skiff.Runtime.Volumes;

/// <summary>
/// Fills a new volume with what the container's image has at the mount point (copy-up). The monitor
/// calls it after mounting the container's root and before the runtime sees the bundle; the
/// implementation lives with the fd-relative tree code (Program.cs wires it in), because the runtime
/// does not reference the image layer.
/// </summary>
public interface IVolumePopulator
{
    /// <summary>
    /// Copies the tree at <paramref name="destination"/> (resolved inside <paramref name="rootfs"/>, never
    /// following a symlink out of it) into the empty directory <paramref name="volumeData"/>. Nothing is
    /// copied when the image has no directory there.
    /// </summary>
    void Populate(string rootfs, string destination, string volumeData);
}

using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Mounts;

/// <summary>
/// The seam between the container's mount plan (<see cref="RootfsBuilder"/>) and the kernel, so the
/// plan can be unit-tested with a recording fake. Every method throws
/// <see cref="Skiff.Core.Errors.SystemCallException"/> on failure.
/// </summary>
public interface IMountSyscalls
{
    void Mount(string? source, string target, string? fsType, MountFlags flags, string? data);

    /// <summary>
    /// Resolves <paramref name="path"/> inside <paramref name="root"/> (symlinks cannot leave it,
    /// magic links are refused) and creates the missing parents and leaf as <paramref name="create"/> says.
    /// </summary>
    IMountTarget OpenInRoot(string root, string path, TargetKind create);

    /// <summary>Creates a device node named <paramref name="name"/> in the directory <paramref name="directory"/>.</summary>
    void MakeDevice(IMountTarget directory, string name, DeviceSpec device);

    void Symlink(IMountTarget directory, string name, string target);

    /// <summary>Makes <paramref name="newRoot"/> the root: pivot_root(".", ".") from inside it, then detaches the old root.</summary>
    void PivotRoot(string newRoot);

    /// <summary>Makes the resolved directory the working directory (fchdir).</summary>
    void ChangeDirectory(IMountTarget directory);

    PathKind KindOf(string path);

    /// <summary>The flags of the mount holding <paramref name="path"/> that a remount inside a user namespace must keep.</summary>
    MountFlags LockedFlagsOf(string path);

    void WriteFile(string path, string content);

    /// <summary>
    /// Copies the tree <paramref name="original"/> (a directory opened before something was mounted on it, so it still
    /// names what the image has there) into <paramref name="mounted"/> (the same path opened again, now the new mount).
    /// See <see cref="ITreeCopier"/> for what is copied and how.
    /// </summary>
    void CopyTree(string root, IMountTarget original, IMountTarget mounted);
}

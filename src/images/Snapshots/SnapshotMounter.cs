using Skiff.Core.Errors;
using Skiff.Core.Mounts;
using Skiff.Core.Processes;

namespace Skiff.Images.Snapshots;

/// <summary>
/// Applies a snapshotter's mounts at a host directory (for <c>image mount</c>, builds, and runtimes that
/// take a ready root): kernel overlay and bind mounts through mount(2), fuse-overlayfs through its program.
/// </summary>
public sealed class SnapshotMounter(IProcessRunner runner)
{
    public async Task MountAsync(IReadOnlyList<MountSpec> mounts, string target, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(target);
        foreach (MountSpec mount in mounts)
        {
            if (mount.Destination != "/")
            {
                throw SkiffException.Internal($"snapshot mount for {mount.Destination} is not a root mount");
            }

            switch (mount.Type)
            {
                case "overlay":
                    bool readOnly = mount.Options.Contains("ro");
                    KernelMounts.Mount("overlay", target, "overlay", readOnly ? KernelMounts.MS_RDONLY : 0, string.Join(',', mount.Options.Where(o => o != "ro")));
                    break;
                case "bind":
                    ulong recursive = mount.Options.Contains("rbind") ? KernelMounts.MS_REC : 0;
                    KernelMounts.Mount(mount.Source, target, null, KernelMounts.MS_BIND | recursive, null);
                    if (mount.Options.Contains("ro"))
                    {
                        KernelMounts.Mount(null, target, null, KernelMounts.MS_BIND | KernelMounts.MS_REMOUNT | KernelMounts.MS_RDONLY | recursive, null);
                    }

                    break;
                case "fuse.fuse-overlayfs":
                    var command = new ExternalCommand("fuse-overlayfs", ["-o", string.Join(',', mount.Options), target]);
                    ExternalResult result = await runner.TryRunAsync(command, cancellationToken).ConfigureAwait(false);
                    if (result.ExitCode != 0)
                    {
                        throw SkiffException.Unavailable(
                            $"fuse-overlayfs failed (exit {result.ExitCode}): {result.StandardError.Trim()}",
                            "check that /dev/fuse is accessible, or use --storage-driver vfs");
                    }

                    break;
                default:
                    throw SkiffException.Internal($"unknown snapshot mount type {mount.Type}");
            }
        }
    }

    public void Unmount(string target)
    {
        if (!UnmountSettled(target))
        {
            return;
        }

        // Stacked mounts (a bind remounted read-only is still one mount, but be thorough).
        while (KernelMounts.IsMountPoint(target) && UnmountSettled(target))
        {
        }
    }

    /// <summary>Retries of an unmount that found the mount busy, 10 ms apart, before it is detached instead.</summary>
    public const int BusyRetries = 20;

    /// <summary>
    /// A FUSE mount (fuse-overlayfs) can be busy for a moment after its last file was closed, while the kernel hands
    /// the release to the daemon: the unmount is retried briefly, then detached (the mount goes once its last user
    /// does; containers/storage detaches its overlay mounts the same way). False when nothing was mounted there.
    /// </summary>
    private static bool UnmountSettled(string target)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return KernelMounts.Unmount(target);
            }
            catch (SystemCallException e) when (e.Errno == Errnos.EBUSY && attempt < BusyRetries)
            {
                Thread.Sleep(10);
            }
            catch (SystemCallException e) when (e.Errno == Errnos.EBUSY)
            {
                return KernelMounts.Unmount(target, detach: true);
            }
        }
    }
}

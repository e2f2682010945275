using Skiff.Core.Errors;
using Skiff.Core.Mounts;
using Skiff.Runtime.Mounts;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// Assembles an image container's root filesystem from its snapshot mounts at the container's rootfs
/// directory, in the monitor's mount namespace (rootless: skiff's user namespace, so overlay with
/// userxattr is allowed), before any OCI runtime sees the bundle; the monitor unmounts it at the end.
/// </summary>
public sealed class RootfsMounter(IMountSyscalls sys)
{
    private const string Volatile = "volatile";

    /// <param name="volatile">
    /// Mount overlays <c>volatile</c> (no syncs to the upper filesystem, and none at unmount, which otherwise syncs
    /// the whole filesystem the upper directory is on), as podman does for <c>--rm</c> containers: their upper
    /// directories are deleted after one run, so nothing must survive a crash. Kernels before 5.10 and
    /// fuse-overlayfs refuse the option (EINVAL); the overlay is then mounted without it.
    /// </param>
    public void Mount(IReadOnlyList<MountSpec> mounts, string target, bool @volatile = false)
    {
        Directory.CreateDirectory(target);
        foreach (MountSpec mount in mounts)
        {
            if (mount.Type.StartsWith("fuse", StringComparison.Ordinal))
            {
                throw SkiffException.PrerequisiteMissing(
                    $"the {mount.Type} snapshot cannot be mounted for a container yet",
                    "use --storage-driver overlay or vfs");
            }

            if (mount.Type == "overlay")
            {
                RemoveVolatileMarker(mount.Options);
                if (@volatile)
                {
                    try
                    {
                        MountOne(mount with { Options = [.. mount.Options, Volatile] }, target);
                        continue;
                    }
                    catch (SystemCallException e) when (e.Errno == Errnos.EINVAL)
                    {
                    }
                }
            }

            MountOne(mount, target);
        }
    }

    private void MountOne(MountSpec mount, string target)
    {
        MountOptions options = MountOptions.Parse(mount.Options, mount.Type);
        sys.Mount(mount.Source, target, options.Bind ? null : mount.Type, options.Flags | (options.Bind ? MountFlags.Bind : 0), options.Data);
    }

    /// <summary>
    /// A volatile overlay leaves WORKDIR/work/incompat/volatile behind, even after a clean unmount, and the kernel
    /// refuses every later mount of that upper and work directory until it is removed
    /// (https://docs.kernel.org/filesystems/overlayfs.html#volatile-mount). Only <c>--rm</c> containers are mounted
    /// volatile; one mounted again (a restart) keeps its upper directory as it is.
    /// </summary>
    private static void RemoveVolatileMarker(IReadOnlyList<string> options)
    {
        foreach (string option in options)
        {
            if (option.StartsWith("workdir=", StringComparison.Ordinal))
            {
                string incompat = Path.Combine(option["workdir=".Length..], "work", "incompat");
                if (Directory.Exists(Path.Combine(incompat, Volatile)))
                {
                    Directory.Delete(incompat, recursive: true);
                }
            }
        }
    }

    /// <summary>Detaches whatever is mounted at <paramref name="target"/>; false when nothing was.</summary>
    public static bool TryUnmount(string target) => Libc.umount2(target, Libc.MNT_DETACH) == 0;
}

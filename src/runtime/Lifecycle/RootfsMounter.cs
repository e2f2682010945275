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
    public void Mount(IReadOnlyList<MountSpec> mounts, string target)
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

            MountOptions options = MountOptions.Parse(mount.Options, mount.Type);
            sys.Mount(mount.Source, target, options.Bind ? null : mount.Type, options.Flags | (options.Bind ? MountFlags.Bind : 0), options.Data);
        }
    }

    /// <summary>Detaches whatever is mounted at <paramref name="target"/>; false when nothing was.</summary>
    public static bool TryUnmount(string target) => LibcContainer.umount2(target, LibcContainer.MNT_DETACH) == 0;
}

using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Mounts;

/// <summary>
/// Idmapped mounts (mount_setattr(2) with MOUNT_ATTR_IDMAP, Linux 5.12; overlayfs since 5.19): the
/// files of a mount appear with their ids shifted through a user namespace's map, without touching
/// the files, so a container with its own user namespace sees the image's owners unchanged.
/// </summary>
public static class IdmappedMounts
{
    /// <summary>
    /// Replaces the mount at <paramref name="target"/> with an idmapped copy of itself: an id N on disk
    /// (as the filesystem's own user namespace sees it) appears as id N of <paramref name="userNamespace"/>.
    /// Afterwards exactly one mount is at the target, so one unmount removes it.
    /// </summary>
    public static void Replace(string target, SafeFileHandle userNamespace)
    {
        using SafeFileHandle tree = Clone(target, userNamespace);
        if (Libc.umount2(target, Libc.MNT_DETACH) != 0)
        {
            throw new SystemCallException("umount2", target, Marshal.GetLastPInvokeError());
        }

        MoveTo(tree, target);
    }

    /// <summary>Mounts an idmapped copy of the directory or file <paramref name="source"/> at <paramref name="target"/> (created if missing).</summary>
    public static void Attach(string source, string target, SafeFileHandle userNamespace)
    {
        using SafeFileHandle tree = Clone(source, userNamespace);
        if (Directory.Exists(source))
        {
            Directory.CreateDirectory(target);
        }
        else
        {
            // A file is mounted on a file.
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using (File.Open(target, FileMode.OpenOrCreate, FileAccess.Write))
            {
            }
        }

        MoveTo(tree, target);
    }

    private static void MoveTo(SafeFileHandle tree, string target)
    {
        if (Libc.move_mount(tree, target) != 0)
        {
            throw new SystemCallException("move_mount", target, Marshal.GetLastPInvokeError());
        }
    }

    private static SafeFileHandle Clone(string target, SafeFileHandle userNamespace)
    {
        int fd = Libc.open_tree(target, Libc.OPEN_TREE_CLONE | (uint)Libc.O_CLOEXEC);
        if (fd < 0)
        {
            throw new SystemCallException("open_tree", target, Marshal.GetLastPInvokeError());
        }

        var tree = new SafeFileHandle(fd, ownsHandle: true);
        if (Libc.mount_setattr_idmap(tree, userNamespace) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            tree.Dispose();
            throw new SkiffException(
                ErrorKind.PrerequisiteMissing,
                $"cannot idmap {target} for the container's user namespace: mount_setattr: {Errnos.Describe(errno)}",
                "idmapped mounts need Linux 5.12 (as overlay layers 5.19) and a filesystem that supports them (ext4, xfs, btrfs, tmpfs since 6.3) under the storage root; or run without --userns/--uidmap",
                new SystemCallException("mount_setattr", target, errno));
        }

        return tree;
    }
}

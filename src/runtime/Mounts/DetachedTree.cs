using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Mounts;

/// <summary>
/// A detached copy of a mount tree (open_tree(2) with OPEN_TREE_CLONE, Linux 5.2): a descriptor that can be
/// changed (idmapped) before it is attached, or passed to a process in another mount namespace, which attaches
/// it in its own with move_mount(2).
/// </summary>
public static class DetachedTree
{
    /// <summary>A copy of the mount at <paramref name="path"/> (a bind mount of it when it is a plain directory), with the mounts below it when <paramref name="recursive"/>.</summary>
    public static SafeFileHandle Clone(string path, bool recursive = false)
    {
        int fd = Libc.open_tree(path, Libc.OPEN_TREE_CLONE | (uint)Libc.O_CLOEXEC | (recursive ? Libc.AT_RECURSIVE : 0));
        if (fd < 0)
        {
            throw new SystemCallException("open_tree", path, Marshal.GetLastPInvokeError());
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Attaches <paramref name="tree"/> at <paramref name="target"/> in this process's mount namespace.</summary>
    public static void MoveTo(SafeHandle tree, string target)
    {
        if (Libc.move_mount(tree, target) != 0)
        {
            throw new SystemCallException("move_mount", target, Marshal.GetLastPInvokeError());
        }
    }
}

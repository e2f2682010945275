using System.Runtime.InteropServices;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Volumes;

/// <summary>
/// podman's <c>:U</c> volume option: the source is chowned recursively to the container's user (its
/// host ids under the container's map) before the container starts. Symlinks are changed themselves,
/// never followed, so a link a container left there cannot point the chown at other host files.
/// </summary>
public static class VolumeOwnership
{
    private const int AtSymlinkNoFollow = 0x100;

    public static void Chown(string path, uint uid, uint gid)
    {
        Change(path, uid, gid);
        if ((File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0 || !Directory.Exists(path))
        {
            return;
        }

        var pending = new Stack<string>();
        pending.Push(path);
        while (pending.Count > 0)
        {
            foreach (FileSystemInfo entry in new DirectoryInfo(pending.Pop()).EnumerateFileSystemInfos())
            {
                Change(entry.FullName, uid, gid);
                if (entry is DirectoryInfo && entry.LinkTarget is null)
                {
                    pending.Push(entry.FullName);
                }
            }
        }
    }

    /// <summary>lchown of one path.</summary>
    public static void Change(string path, uint uid, uint gid)
    {
        if (Libc.fchownat(Libc.AT_FDCWD, path, uid, gid, AtSymlinkNoFollow) != 0)
        {
            throw new SystemCallException("fchownat", path, Marshal.GetLastPInvokeError());
        }
    }
}

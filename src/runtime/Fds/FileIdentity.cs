using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Fds;

/// <summary>
/// Which file an open descriptor or a path is (device and inode): a reader following a file by its path sees a
/// rotation as the path naming another file than the one it holds open.
/// </summary>
public readonly record struct FileIdentity(uint DevMajor, uint DevMinor, ulong Inode)
{
    public static unsafe FileIdentity Of(SafeFileHandle file)
    {
        byte* stat = stackalloc byte[Libc.StatxSize];
        byte empty = 0;
        if (Libc.statx((int)file.DangerousGetHandle(), &empty, Libc.AT_EMPTY_PATH, Libc.STATX_INO, stat) != 0)
        {
            throw new SystemCallException("statx", string.Empty, Marshal.GetLastPInvokeError());
        }

        return Read(stat);
    }

    /// <summary>The identity of the file at <paramref name="path"/> (symlinks followed); null when nothing is there.</summary>
    public static unsafe FileIdentity? TryOf(string path)
    {
        byte* stat = stackalloc byte[Libc.StatxSize];
        byte[] name = Descriptors.CString(path);
        fixed (byte* p = name)
        {
            if (Libc.statx(-100 /* AT_FDCWD */, p, 0, Libc.STATX_INO, stat) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                return errno is 2 /* ENOENT */ or 20 /* ENOTDIR */ ? null : throw new SystemCallException("statx", path, errno);
            }
        }

        return Read(stat);
    }

    private static unsafe FileIdentity Read(byte* stat) =>
        new(*(uint*)(stat + Libc.StatxDevMajorOffset), *(uint*)(stat + Libc.StatxDevMinorOffset), *(ulong*)(stat + Libc.StatxInodeOffset));
}

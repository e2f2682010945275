using System.Runtime.InteropServices;

namespace Skiff.Runtime.Native;

/// <summary>statx(2) and access(2) for host paths (a device node's numbers and owner, what the user may open).</summary>
internal static unsafe partial class Libc
{
    public const int AT_STATX_SYNC_AS_STAT = 0;
    public const uint STATX_BASIC_STATS = 0x7ff;
    public const int R_OK = 4;
    public const int W_OK = 2;

    /// <summary>struct statx offsets from include/uapi/linux/stat.h (the same on every architecture; size and mode in FdLibc.cs).</summary>
    public const int StatxUidOffset = 20;
    public const int StatxGidOffset = 24;
    public const int StatxRdevMajorOffset = 128;
    public const int StatxRdevMinorOffset = 132;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int access(string path, int mode);

    [LibraryImport("libc")]
    public static partial uint geteuid();
}

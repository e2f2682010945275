using System.Runtime.InteropServices;

namespace Skiff.Rootless.Native;

/// <summary>The few libc entry points Skiff.Rootless calls itself; only the wrappers in this project use them.</summary>
internal static unsafe partial class Libc
{
    public const int AT_FDCWD = -100;
    public const uint STATX_UID = 0x8;

    /// <summary>Offset of <c>stx_uid</c> in <c>struct statx</c> (the same on every architecture).</summary>
    public const int StatxUidOffset = 20;

    /// <summary>Size of <c>struct statx</c>.</summary>
    public const int StatxSize = 256;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    public const int F_SETPIPE_SZ = 1031;
    public const uint SPLICE_F_MOVE = 1;
    public const uint SPLICE_F_NONBLOCK = 2;

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint splice(SafeHandle fdIn, long* offIn, SafeHandle fdOut, long* offOut, nuint length, uint flags);

    [LibraryImport("libc")]
    public static partial int sched_yield();

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fcntl(SafeHandle fd, int command, int argument);

    public const ulong TUNSETIFF = 0x400454ca;
    public const short IFF_TAP = 0x0002;
    public const short IFF_NO_PI = 0x1000;

    /// <summary>Size of <c>struct ifreq</c>; the interface name is its first 16 bytes, the flags the short after them.</summary>
    public const int IfReqSize = 40;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ioctl(SafeHandle fd, ulong request, byte* argument);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint write(SafeHandle fd, byte* buffer, nuint length);

    public const int PRIO_PROCESS = 0;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setpriority(int which, uint who, int priority);
}

using System.Runtime.InteropServices;

namespace Skiff.Runtime.Native;

/// <summary>setns(2) and unshare(2) for one thread (a network namespace may be entered by a thread of a multi-threaded process).</summary>
internal static partial class Libc
{
    public const int CLONE_NEWNET = 0x40000000;
    public const int CLONE_NEWCGROUP = 0x02000000;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setns(SafeHandle fd, int nstype);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int unshare(int flags);
}

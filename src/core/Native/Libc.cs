using System.Runtime.InteropServices;

namespace Skiff.Core.Native;

internal static partial class Libc
{
    [LibraryImport("libc")]
    public static partial uint geteuid();

    [LibraryImport("libc")]
    public static partial uint getegid();

    [LibraryImport("libc")]
    public static partial uint getuid();
}

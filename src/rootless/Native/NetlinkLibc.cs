using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Skiff.Rootless.Native;

/// <summary>socket(2), bind(2), send(2) and recv(2) for rtnetlink (man 7 netlink, man 7 rtnetlink).</summary>
internal static unsafe partial class Libc
{
    public const int AF_NETLINK = 16;
    public const int SOCK_RAW = 3;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int NETLINK_ROUTE = 0;
    public const int MSG_DONTWAIT = 0x40;

    /// <summary>struct sockaddr_nl: family, padding, port id (0: the kernel assigns one), multicast group mask.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SockaddrNl
    {
        public ushort Family;
        public ushort Pad;
        public uint PortId;
        public uint Groups;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int bind(SafeHandle fd, SockaddrNl* address, uint length);

    /// <summary>The descriptor comes back as a handle; -1 (failure) makes an invalid one.</summary>
    [LibraryImport("libc", SetLastError = true)]
    public static partial SafeFileHandle socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint send(SafeHandle fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint recv(SafeHandle fd, byte* buffer, nuint length, int flags);
}

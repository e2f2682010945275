using System.Runtime.InteropServices;

namespace Skiff.Rootless.Native;

/// <summary>sendmsg(2) with an IP_PKTINFO control message (man 7 ip): a UDP answer from a chosen local address.</summary>
internal static unsafe partial class Libc
{
    public const int SOL_IP = 0;
    public const int IP_PKTINFO = 8;
    public const ushort AF_INET = 2;

    /// <summary>struct sockaddr_in: family, port and address in network byte order, eight bytes of zeros.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SockaddrIn
    {
        public ushort Family;
        public ushort Port;
        public uint Address;
        public ulong Zero;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Iovec
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Msghdr
    {
        public void* Name;
        public uint NameLength;
        public Iovec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>struct cmsghdr followed by struct in_pktinfo (ifindex, spec_dst, addr), padded as CMSG_SPACE pads it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PktinfoMessage
    {
        public nuint Length;
        public int Level;
        public int Type;
        public int InterfaceIndex;
        public uint SpecificDestination;
        public uint Address;
        public uint Pad;
    }

    /// <summary>CMSG_LEN(sizeof(struct in_pktinfo)): the header and the 12 bytes of in_pktinfo, without the trailing pad.</summary>
    public static readonly nuint PktinfoLength = (nuint)(sizeof(nuint) + 8 + 12);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint sendmsg(SafeHandle fd, Msghdr* message, int flags);
}

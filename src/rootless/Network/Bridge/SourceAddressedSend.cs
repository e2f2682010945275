using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Skiff.Rootless.Native;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// Sends a datagram from a socket bound to every address (0.0.0.0) with a chosen source address: the one
/// the client sent to, which the kernel's route may not pick (another address of the same interface, any
/// 127.x address but 127.0.0.1), and a client whose socket is connected drops answers from any other.
/// </summary>
internal static class SourceAddressedSend
{
    /// <summary>Sends <paramref name="datagram"/> to <paramref name="to"/> from <paramref name="from"/>; false when the kernel refused (a full buffer: the datagram is dropped).</summary>
    public static unsafe bool TrySend(Socket socket, ReadOnlySpan<byte> datagram, IPEndPoint to, IPAddress from)
    {
        var address = new Libc.SockaddrIn
        {
            Family = Libc.AF_INET,
            Port = BinaryPrimitives.ReverseEndianness((ushort)to.Port),
            Address = Raw(to.Address),
        };
        var control = new Libc.PktinfoMessage
        {
            Length = Libc.PktinfoLength,
            Level = Libc.SOL_IP,
            Type = Libc.IP_PKTINFO,
            SpecificDestination = Raw(from),
        };
        fixed (byte* bytes = datagram)
        {
            var iov = new Libc.Iovec { Base = bytes, Length = (nuint)datagram.Length };
            var message = new Libc.Msghdr
            {
                Name = &address,
                NameLength = (uint)sizeof(Libc.SockaddrIn),
                Iov = &iov,
                IovLength = 1,
                Control = &control,
                ControlLength = (nuint)sizeof(Libc.PktinfoMessage),
            };
            return Libc.sendmsg(socket.SafeHandle, &message, 0) >= 0;
        }
    }

    /// <summary>An IPv4 address as in_addr holds it (network byte order in memory).</summary>
    private static uint Raw(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).TryWriteBytes(bytes, out _);
        return MemoryMarshal.Read<uint>(bytes);
    }
}

using System.Buffers.Binary;

namespace Skiff.Rootless.Network.Netlink;

/// <summary>One message of a netlink datagram: its header's fields and what follows the header.</summary>
public readonly record struct NetlinkMessage(ushort Type, ushort Flags, uint Sequence, ReadOnlyMemory<byte> Payload)
{
    public const ushort Error = 2;
    public const ushort Done = 3;

    /// <summary>The messages of one received datagram; a truncated tail is dropped.</summary>
    public static IReadOnlyList<NetlinkMessage> Split(ReadOnlyMemory<byte> datagram)
    {
        var messages = new List<NetlinkMessage>();
        int offset = 0;
        while (datagram.Length - offset >= 16)
        {
            ReadOnlySpan<byte> header = datagram.Span[offset..];
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(header);
            if (length < 16 || length > datagram.Length - offset)
            {
                break;
            }

            messages.Add(new NetlinkMessage(
                BinaryPrimitives.ReadUInt16LittleEndian(header[4..]),
                BinaryPrimitives.ReadUInt16LittleEndian(header[6..]),
                BinaryPrimitives.ReadUInt32LittleEndian(header[8..]),
                datagram.Slice(offset + 16, length - 16)));
            offset += (length + 3) & ~3;
        }

        return messages;
    }

    /// <summary>An NLMSG_ERROR's errno (0 is the acknowledgement), from its negated <c>error</c> field.</summary>
    public int ErrorNumber => Payload.Length >= 4 ? -BinaryPrimitives.ReadInt32LittleEndian(Payload.Span) : 0;

    /// <summary>The attributes after the family's fixed header of <paramref name="headerLength"/> bytes.</summary>
    public NetlinkAttributes Attributes(int headerLength) =>
        new(Payload.Length > headerLength ? Payload[headerLength..] : ReadOnlyMemory<byte>.Empty);
}

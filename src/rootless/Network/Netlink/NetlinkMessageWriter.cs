using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Skiff.Rootless.Network.Netlink;

/// <summary>
/// Builds one netlink request (man 7 netlink): the 16-byte <c>nlmsghdr</c>, the family's fixed header, then
/// attributes, each a 4-byte <c>nlattr</c> header and its value padded to 4 bytes (NLA_ALIGNTO). A nest's
/// length covers its padded members; a header's length is the unpadded value's. Integers are in the host's
/// byte order (little-endian on every machine skiff runs on), addresses in network order.
/// </summary>
public sealed class NetlinkMessageWriter
{
    private const int HeaderLength = 16;

    private byte[] _buffer = new byte[128];
    private int _length;

    public NetlinkMessageWriter(ushort type, ushort flags, uint sequence)
    {
        Reserve(HeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(8), sequence);
        // nlmsg_pid 0: the kernel fills in the sender.
    }

    public NetlinkMessageWriter U8(byte value)
    {
        Reserve(1)[0] = value;
        return this;
    }

    public NetlinkMessageWriter U16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), value);
        return this;
    }

    public NetlinkMessageWriter U32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);
        return this;
    }

    public NetlinkMessageWriter Attribute(ushort type, ReadOnlySpan<byte> value)
    {
        Pad();
        BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), type);
        value.CopyTo(Reserve(value.Length));
        Pad();
        return this;
    }

    public NetlinkMessageWriter Attribute(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return Attribute(type, bytes);
    }

    public NetlinkMessageWriter Attribute(ushort type, IPAddress address) => Attribute(type, address.GetAddressBytes());

    /// <summary>A string attribute; interface names are NUL-terminated (IFLA_IFNAME), link kinds are not (IFLA_INFO_KIND, as ip sends it).</summary>
    public NetlinkMessageWriter Attribute(ushort type, string value, bool terminated)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(terminated ? value + "\0" : value);
        return Attribute(type, bytes);
    }

    /// <summary>Opens a nested attribute; its members follow until <see cref="EndNest"/> with the returned start.</summary>
    public int BeginNest(ushort type)
    {
        Pad();
        int start = _length;
        Reserve(2);
        BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), type);
        return start;
    }

    public NetlinkMessageWriter EndNest(int start)
    {
        Pad();
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(start), (ushort)(_length - start));
        return this;
    }

    /// <summary>The finished message, with its total length in the header.</summary>
    public byte[] ToArray()
    {
        Pad();
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(0), (uint)_length);
        return _buffer.AsSpan(0, _length).ToArray();
    }

    private void Pad()
    {
        int aligned = (_length + 3) & ~3;
        Reserve(aligned - _length).Clear();
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        Span<byte> span = _buffer.AsSpan(_length, count);
        span.Clear();
        _length += count;
        return span;
    }
}

using System.Buffers.Binary;

namespace Skiff.Rootless.Network.Netlink;

/// <summary>A run of netlink attributes (<c>nlattr</c>: length, type, value padded to 4 bytes), read on demand.</summary>
public readonly struct NetlinkAttributes(ReadOnlyMemory<byte> data)
{
    /// <summary>The type bits; the top two are NLA_F_NESTED and NLA_F_NET_BYTEORDER.</summary>
    private const ushort TypeMask = 0x3fff;

    /// <summary>The value of the first attribute of <paramref name="type"/>, or null.</summary>
    public ReadOnlyMemory<byte>? Find(ushort type)
    {
        int offset = 0;
        while (data.Length - offset >= 4)
        {
            ReadOnlySpan<byte> header = data.Span[offset..];
            int length = BinaryPrimitives.ReadUInt16LittleEndian(header);
            if (length < 4 || length > data.Length - offset)
            {
                return null;
            }

            if ((BinaryPrimitives.ReadUInt16LittleEndian(header[2..]) & TypeMask) == type)
            {
                return data.Slice(offset + 4, length - 4);
            }

            offset += (length + 3) & ~3;
        }

        return null;
    }

    public uint? FindU32(ushort type) => Find(type) is { Length: >= 4 } value ? BinaryPrimitives.ReadUInt32LittleEndian(value.Span) : null;
}

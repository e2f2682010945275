using System.Buffers.Binary;
using System.Text;

namespace Skiff.Rootless.Network.Dns;

/// <summary>
/// Reads DNS queries and writes responses (RFC 1035). Everything received is hostile: every read is bounds
/// checked, names are limited to 255 bytes on the wire and labels to 63, and a compression pointer must point
/// strictly before the label that holds it, so following pointers always ends (no loops) within a message.
/// </summary>
public static class DnsCodec
{
    public const int MaxNameLength = 255;

    /// <summary>The UDP payload every resolver accepts without EDNS (RFC 1035 4.2.1).</summary>
    public const int ClassicUdpSize = 512;

    private const int MaxLabelLength = 63;

    public static DnsParseOutcome ParseQuery(ReadOnlySpan<byte> message, out DnsHeader header, out DnsQuestion? question)
    {
        question = null;
        if (!DnsHeader.TryRead(message, out header) || header.IsResponse)
        {
            return DnsParseOutcome.Drop;
        }

        if (header.Opcode != 0)
        {
            return DnsParseOutcome.NotImplemented;
        }

        if (header.QuestionCount != 1 || !TryReadName(message, DnsHeader.Size, out string name, out byte[] wire, out int end) || end + 4 > message.Length)
        {
            return DnsParseOutcome.FormatError;
        }

        question = new DnsQuestion(name, wire, BinaryPrimitives.ReadUInt16BigEndian(message[end..]), BinaryPrimitives.ReadUInt16BigEndian(message[(end + 2)..]));
        return DnsParseOutcome.Query;
    }

    /// <summary>
    /// Reads the name at <paramref name="offset"/>, following compression pointers; <paramref name="end"/> is
    /// where the name ends at its original place (after the first pointer, if any).
    /// </summary>
    public static bool TryReadName(ReadOnlySpan<byte> message, int offset, out string name, out byte[] wire, out int end)
    {
        name = string.Empty;
        wire = [];
        end = -1;
        var text = new StringBuilder();
        var encoded = new List<byte>();
        int position = offset;
        while (true)
        {
            if (position < 0 || position >= message.Length)
            {
                return false;
            }

            byte length = message[position];
            if ((length & 0xc0) == 0xc0)
            {
                if (position + 1 >= message.Length)
                {
                    return false;
                }

                int target = ((length & 0x3f) << 8) | message[position + 1];
                if (end < 0)
                {
                    end = position + 2;
                }

                // Strictly backwards (and past the header): each jump lowers the position, so a chain of
                // pointers cannot cycle.
                if (target >= position || target < DnsHeader.Size)
                {
                    return false;
                }

                position = target;
                continue;
            }

            if ((length & 0xc0) != 0)
            {
                // 0x40 and 0x80 are reserved label types (RFC 6891 retired the extended ones).
                return false;
            }

            if (length == 0)
            {
                encoded.Add(0);
                if (end < 0)
                {
                    end = position + 1;
                }

                break;
            }

            if (length > MaxLabelLength || position + 1 + length > message.Length || encoded.Count + 1 + length + 1 > MaxNameLength)
            {
                return false;
            }

            ReadOnlySpan<byte> label = message.Slice(position + 1, length);
            if (text.Length > 0)
            {
                text.Append('.');
            }

            foreach (byte b in label)
            {
                if (b is (byte)'.' or (byte)'\\')
                {
                    text.Append('\\');
                }

                text.Append((char)b);
            }

            encoded.Add(length);
            encoded.AddRange(label);
            position += 1 + length;
        }

        name = text.ToString();
        wire = encoded.ToArray();
        return true;
    }

    /// <summary>Encodes a dotted name without compression; null when a label is empty or too long, or the name is too long.</summary>
    public static byte[]? EncodeName(string name)
    {
        var encoded = new List<byte>();
        string trimmed = name.EndsWith('.') ? name[..^1] : name;
        foreach (string label in trimmed.Length == 0 ? [] : trimmed.Split('.'))
        {
            byte[] bytes = Encoding.ASCII.GetBytes(label);
            if (bytes.Length is 0 or > MaxLabelLength)
            {
                return null;
            }

            encoded.Add((byte)bytes.Length);
            encoded.AddRange(bytes);
        }

        encoded.Add(0);
        return encoded.Count > MaxNameLength ? null : encoded.ToArray();
    }

    /// <summary>
    /// An authoritative response to <paramref name="question"/>: the records' data (each of type
    /// <paramref name="type"/>, owned by the question's name) as many as fit in <paramref name="maxSize"/>;
    /// when some do not, the response is marked truncated so the client can retry over TCP.
    /// </summary>
    public static byte[] BuildResponse(DnsHeader query, DnsQuestion question, int responseCode, ushort type, IReadOnlyList<byte[]> records, uint ttl, int maxSize)
    {
        int questionSize = question.WireName.Length + 4;
        int size = DnsHeader.Size + questionSize;
        int fitting = 0;
        foreach (byte[] data in records)
        {
            int recordSize = 2 + 10 + data.Length;
            if (size + recordSize > maxSize)
            {
                break;
            }

            size += recordSize;
            fitting++;
        }

        byte[] message = new byte[size];
        ushort flags = (ushort)(0x8000 | 0x0400 | (query.Flags & 0x0100) | 0x0080 | (responseCode & 0xf));
        if (fitting < records.Count)
        {
            flags |= 0x0200;
        }

        new DnsHeader(query.Id, flags, 1, (ushort)fitting, 0, 0).Write(message);
        Span<byte> at = message.AsSpan(DnsHeader.Size);
        question.WireName.CopyTo(at);
        at = at[question.WireName.Length..];
        BinaryPrimitives.WriteUInt16BigEndian(at, question.Type);
        BinaryPrimitives.WriteUInt16BigEndian(at[2..], question.Class);
        at = at[4..];
        for (int i = 0; i < fitting; i++)
        {
            // The owner name is the question's, at offset 12: a compression pointer to it.
            BinaryPrimitives.WriteUInt16BigEndian(at, 0xc000 | DnsHeader.Size);
            BinaryPrimitives.WriteUInt16BigEndian(at[2..], type);
            BinaryPrimitives.WriteUInt16BigEndian(at[4..], DnsTypes.ClassIn);
            BinaryPrimitives.WriteUInt32BigEndian(at[6..], ttl);
            BinaryPrimitives.WriteUInt16BigEndian(at[10..], (ushort)records[i].Length);
            records[i].CopyTo(at[12..]);
            at = at[(12 + records[i].Length)..];
        }

        return message;
    }

    /// <summary>An error response that echoes the query's id (and its question when it could be read).</summary>
    public static byte[] BuildError(DnsHeader query, DnsQuestion? question, int responseCode)
    {
        if (question is not null)
        {
            byte[] response = BuildResponse(query, question, responseCode, 0, [], 0, int.MaxValue);
            // Only our own names are authoritative: a failure to reach the upstream servers is not.
            response[2] &= 0xfb;
            return response;
        }

        byte[] message = new byte[DnsHeader.Size];
        new DnsHeader(query.Id, (ushort)(0x8000 | (query.Flags & 0x7900) | 0x0080 | (responseCode & 0xf)), 0, 0, 0, 0).Write(message);
        return message;
    }
}

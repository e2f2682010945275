using System.Text;
using Skiff.Core.Errors;
using Skiff.Images.Archives;

namespace Skiff.Images.Unpack.Tar;

/// <summary>
/// Reads a tar stream (ustar, PAX, GNU long names, old V7) entry by entry, forward only. PAX extended
/// headers and GNU long names are merged into the entry they describe; PAX global headers are skipped,
/// as Go's archive/tar (docker, containerd, podman) leaves them unapplied. It exists because
/// System.Formats.Tar decodes PAX values as UTF-8, which destroys binary <c>SCHILY.xattr.*</c> values
/// such as <c>security.capability</c>.
/// Types that carry no content (links, directories, devices, fifos) get no content even when their
/// size field says otherwise, as in Go, so the next header is read where every Go-based tool reads it.
/// </summary>
public sealed class TarStreamReader
{
    /// <summary>Largest PAX header or GNU long name accepted (Go's archive/tar uses the same bound).</summary>
    public const int MaxSpecialSize = 1 << 20;

    private const int BlockSize = 512;
    private const string XattrPrefix = "SCHILY.xattr.";

    private readonly Stream stream;
    private readonly byte[] block = new byte[BlockSize];
    private readonly EntryStream data;
    private long remaining;
    private long padding;
    private bool ended;

    public TarStreamReader(Stream stream)
    {
        this.stream = stream;
        data = new EntryStream(this);
    }

    /// <summary>The content of the entry <see cref="Next"/> returned last; valid until the next call.</summary>
    public Stream Data => data;

    /// <summary>The next entry, or null at the end of the archive. Skips what is left of the previous entry's content.</summary>
    public TarHeader? Next()
    {
        if (ended)
        {
            return null;
        }

        Skip(remaining + padding);
        remaining = 0;
        padding = 0;

        List<KeyValuePair<string, byte[]>>? pax = null;
        string? longName = null;
        string? longLink = null;
        while (true)
        {
            int got = stream.ReadAtLeast(block, BlockSize, throwOnEndOfStream: false);
            if (got == 0 && pax is null && longName is null && longLink is null)
            {
                // No end-of-archive blocks: accepted, as Go's reader does.
                ended = true;
                return null;
            }

            if (got < BlockSize)
            {
                throw Invalid("it ends inside a header");
            }

            if (block.AsSpan().IndexOfAnyExcept((byte)0) < 0)
            {
                ended = true;
                if (pax is not null || longName is not null || longLink is not null)
                {
                    throw Invalid("it ends after an extended header");
                }

                return null;
            }

            VerifyChecksum();
            byte type = block[156];
            long size = Number(124, 12, "size");
            if (size < 0)
            {
                throw Invalid("an entry has a negative size");
            }

            switch (type)
            {
                case (byte)'x':
                    foreach (KeyValuePair<string, byte[]> record in PaxRecords.Parse(ReadSpecial(size)))
                    {
                        pax ??= [];
                        pax.RemoveAll(r => r.Key == record.Key);
                        pax.Add(record);
                    }

                    continue;
                case (byte)'g':
                    ReadSpecial(size);
                    continue;
                case (byte)'L':
                    longName = CString(ReadSpecial(size));
                    continue;
                case (byte)'K':
                    longLink = CString(ReadSpecial(size));
                    continue;
            }

            TarHeader header = Build(type, size, pax, longName, longLink);
            remaining = header.Size;
            padding = (BlockSize - (header.Size % BlockSize)) % BlockSize;
            return header;
        }
    }

    private TarHeader Build(byte type, long size, List<KeyValuePair<string, byte[]>>? pax, string? longName, string? longLink)
    {
        ReadOnlySpan<byte> header = block;
        bool posix = header.Slice(257, 6).SequenceEqual("ustar\0"u8);
        string name = longName ?? CString(header[..100]);
        if (longName is null && posix && header[345] != 0)
        {
            name = CString(header.Slice(345, 155)) + "/" + name;
        }

        var result = new TarHeader
        {
            Name = name,
            TypeFlag = type,
            Mode = Number(100, 8, "mode"),
            Uid = Number(108, 8, "uid"),
            Gid = Number(116, 8, "gid"),
            Size = size,
            MtimeSeconds = Number(136, 12, "mtime"),
            LinkName = longLink ?? CString(header.Slice(157, 100)),
            DeviceMajor = type is (byte)'3' or (byte)'4' ? Number(329, 8, "devmajor") : 0,
            DeviceMinor = type is (byte)'3' or (byte)'4' ? Number(337, 8, "devminor") : 0,
        };

        if (pax is not null)
        {
            List<KeyValuePair<string, byte[]>>? xattrs = null;
            foreach ((string key, byte[] value) in pax)
            {
                switch (key)
                {
                    case "path":
                        result = result with { Name = Encoding.UTF8.GetString(value) };
                        break;
                    case "linkpath":
                        result = result with { LinkName = Encoding.UTF8.GetString(value) };
                        break;
                    case "size":
                        result = result with { Size = Decimal(value, key) };
                        break;
                    case "uid":
                        result = result with { Uid = Decimal(value, key) };
                        break;
                    case "gid":
                        result = result with { Gid = Decimal(value, key) };
                        break;
                    case "mtime":
                        (long seconds, uint nanoseconds) = Time(value);
                        result = result with { MtimeSeconds = seconds, MtimeNanoseconds = nanoseconds };
                        break;
                    default:
                        if (key.StartsWith(XattrPrefix, StringComparison.Ordinal) && key.Length > XattrPrefix.Length)
                        {
                            (xattrs ??= []).Add(new(key[XattrPrefix.Length..], value));
                        }

                        break;
                }
            }

            if (xattrs is not null)
            {
                result = result with { Xattrs = xattrs };
            }
        }

        // An old-style regular file whose name ends in "/" is a directory (V7 convention, as in Go).
        if (type == 0 && result.Name.EndsWith('/'))
        {
            result = result with { TypeFlag = (byte)'5' };
        }

        if (result.TypeFlag is (byte)'1' or (byte)'2' or (byte)'3' or (byte)'4' or (byte)'5' or (byte)'6')
        {
            result = result with { Size = 0 };
        }

        if (result.Size < 0)
        {
            throw Invalid("an entry has a negative size");
        }

        return result;
    }

    private void VerifyChecksum()
    {
        long stored = Number(148, 8, "checksum");
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BlockSize; i++)
        {
            byte b = i is >= 148 and < 156 ? (byte)' ' : block[i];
            unsigned += b;
            signed += (sbyte)b;
        }

        if (stored != unsigned && stored != signed)
        {
            throw Invalid("a header checksum does not match");
        }
    }

    /// <summary>An octal field, or base-256 when the first byte has its high bit set (GNU and star, for large values).</summary>
    private long Number(int offset, int length, string field)
    {
        ReadOnlySpan<byte> bytes = block.AsSpan(offset, length);
        if ((bytes[0] & 0x80) != 0)
        {
            long value = (bytes[0] & 0x40) != 0 ? -1 : 0;
            value = (value << 7) | (bytes[0] & 0x7Fu);
            foreach (byte b in bytes[1..])
            {
                if (value > (long.MaxValue >> 8) || value < (long.MinValue >> 8))
                {
                    throw Invalid($"the {field} field is out of range");
                }

                value = (value << 8) | b;
            }

            return value;
        }

        int i = 0;
        while (i < bytes.Length && bytes[i] is (byte)' ' or 0)
        {
            i++;
        }

        long result = 0;
        for (; i < bytes.Length && bytes[i] is not ((byte)' ' or 0); i++)
        {
            if (bytes[i] is < (byte)'0' or > (byte)'7' || result > (long.MaxValue >> 3))
            {
                throw Invalid($"the {field} field is not an octal number");
            }

            result = (result << 3) | (uint)(bytes[i] - '0');
        }

        return result;
    }

    private static long Decimal(byte[] value, string key)
    {
        if (value.Length is 0 or > 19)
        {
            throw Invalid($"the PAX {key} record is not a number");
        }

        long result = 0;
        foreach (byte digit in value)
        {
            if (digit is < (byte)'0' or > (byte)'9')
            {
                throw Invalid($"the PAX {key} record is not a number");
            }

            result = (result * 10) + (digit - '0');
        }

        return result;
    }

    /// <summary>A PAX time: "[-]SECONDS[.FRACTION]".</summary>
    private static (long Seconds, uint Nanoseconds) Time(byte[] value)
    {
        ReadOnlySpan<byte> text = value;
        bool negative = text.Length > 0 && text[0] == (byte)'-';
        if (negative)
        {
            text = text[1..];
        }

        int dot = text.IndexOf((byte)'.');
        ReadOnlySpan<byte> whole = dot < 0 ? text : text[..dot];
        ReadOnlySpan<byte> fraction = dot < 0 ? [] : text[(dot + 1)..];
        long seconds = Decimal(whole.ToArray(), "mtime");
        long nanoseconds = 0;
        for (int i = 0; i < 9; i++)
        {
            int digit = 0;
            if (i < fraction.Length)
            {
                if (fraction[i] is < (byte)'0' or > (byte)'9')
                {
                    throw Invalid("the PAX mtime record is not a number");
                }

                digit = fraction[i] - '0';
            }

            nanoseconds = (nanoseconds * 10) + digit;
        }

        if (!negative)
        {
            return (seconds, (uint)nanoseconds);
        }

        return nanoseconds == 0 ? (-seconds, 0) : (-seconds - 1, (uint)(1_000_000_000 - nanoseconds));
    }

    private byte[] ReadSpecial(long size)
    {
        if (size > MaxSpecialSize)
        {
            throw Invalid($"an extended header is larger than {MaxSpecialSize} bytes");
        }

        byte[] content = new byte[size];
        if (stream.ReadAtLeast(content, content.Length, throwOnEndOfStream: false) < content.Length)
        {
            throw Invalid("it ends inside an extended header");
        }

        Skip((BlockSize - (size % BlockSize)) % BlockSize);
        return content;
    }

    private void Skip(long count)
    {
        Span<byte> scratch = stackalloc byte[4096];
        while (count > 0)
        {
            int read = stream.Read(scratch[..(int)Math.Min(count, scratch.Length)]);
            if (read == 0)
            {
                throw Invalid("it ends inside an entry");
            }

            count -= read;
        }
    }

    private static string CString(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    private static SkiffException Invalid(string what) => SkiffException.InvalidArgument($"layer is not a valid tar archive: {what}");

    /// <summary>The current entry's content: reads stop at its end and fail if the archive ends first.</summary>
    private sealed class EntryStream(TarStreamReader reader) : ForwardReadStream
    {
        public override int Read(Span<byte> buffer)
        {
            if (reader.remaining == 0 || buffer.IsEmpty)
            {
                return 0;
            }

            int read = reader.stream.Read(buffer[..(int)Math.Min(buffer.Length, reader.remaining)]);
            if (read == 0)
            {
                throw Invalid("it ends inside an entry");
            }

            reader.remaining -= read;
            return read;
        }
    }
}

using System.Text;

namespace Skiff.Tests.Support;

/// <summary>
/// Tar blocks written by hand, for what System.Formats.Tar cannot write: PAX records with binary values
/// (a security.capability xattr), base-256 numbers, GNU long names, bad checksums.
/// </summary>
public static class RawTar
{
    /// <summary>A 512-byte ustar header ("ustar\0" magic) with a correct checksum unless <paramref name="checksumDelta"/> is set.</summary>
    public static byte[] Header(string name, char type, long size = 0, int mode = 0x1A4, long uid = 0, long gid = 0, long mtime = 1_700_000_000,
        string linkName = "", string prefix = "", bool gnu = false, bool base256Uid = false, int checksumDelta = 0)
    {
        byte[] block = new byte[512];
        Encoding.UTF8.GetBytes(name).CopyTo(block, 0);
        Octal(block, 100, 8, mode);
        if (base256Uid)
        {
            block[108] = 0x80;
            for (int i = 0; i < 7; i++)
            {
                block[115 - i] = (byte)(uid >> (8 * i));
            }
        }
        else
        {
            Octal(block, 108, 8, uid);
        }

        Octal(block, 116, 8, gid);
        Octal(block, 124, 12, size);
        Octal(block, 136, 12, mtime);
        block[156] = (byte)type;
        Encoding.UTF8.GetBytes(linkName).CopyTo(block, 157);
        (gnu ? "ustar  \0"u8 : "ustar\u000000"u8).CopyTo(block.AsSpan(257));
        if (!gnu)
        {
            Encoding.UTF8.GetBytes(prefix).CopyTo(block, 345);
        }

        "        "u8.CopyTo(block.AsSpan(148));
        int sum = block.Sum(b => b) + checksumDelta;
        Octal(block, 148, 7, sum);
        return block;
    }

    /// <summary>A PAX extended header ('x') carrying <paramref name="records"/> (values as raw bytes).</summary>
    public static byte[] Pax(params (string Key, byte[] Value)[] records)
    {
        var content = new MemoryStream();
        foreach ((string key, byte[] value) in records)
        {
            byte[] body = [.. Encoding.UTF8.GetBytes($" {key}="), .. value, (byte)'\n'];
            int length = body.Length + 1;
            while ((length.ToString().Length + body.Length) != length)
            {
                length = length.ToString().Length + body.Length;
            }

            content.Write(Encoding.ASCII.GetBytes(length.ToString()));
            content.Write(body);
        }

        return Special('x', content.ToArray());
    }

    /// <summary>A header of type <paramref name="type"/> ('x', 'L', 'K', 'g') followed by its padded content.</summary>
    public static byte[] Special(char type, byte[] content) => [.. Header("././@PaxHeader", type, content.Length), .. Padded(content)];

    /// <summary>A regular file: header and padded content.</summary>
    public static byte[] File(string name, byte[] content, int mode = 0x1A4, long uid = 0, long gid = 0) =>
        [.. Header(name, '0', content.Length, mode, uid, gid), .. Padded(content)];

    /// <summary>The two zero blocks that end an archive.</summary>
    public static byte[] End() => new byte[1024];

    public static byte[] Padded(byte[] content)
    {
        byte[] padded = new byte[(content.Length + 511) / 512 * 512];
        content.CopyTo(padded, 0);
        return padded;
    }

    /// <summary>
    /// A file capability (struct vfs_cap_data, revision 2): cap_setuid and cap_net_bind_service, permitted
    /// and effective, as <c>setcap cap_setuid,cap_net_bind_service=ep</c> writes it. Its fifth byte is
    /// 0x80, a lone UTF-8 continuation byte: the value is not valid UTF-8.
    /// </summary>
    public static byte[] Capability()
    {
        byte[] value = new byte[20];
        BitConverter.GetBytes(0x02000001u).CopyTo(value, 0);                // VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE
        BitConverter.GetBytes((1u << 7) | (1u << 10)).CopyTo(value, 4);     // permitted: cap_setuid, cap_net_bind_service
        return value;
    }

    private static void Octal(byte[] block, int offset, int length, long value)
    {
        string text = Convert.ToString(value, 8).PadLeft(length - 1, '0');
        Encoding.ASCII.GetBytes(text).CopyTo(block, offset);
        block[offset + length - 1] = 0;
    }
}

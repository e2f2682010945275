using System.IO.Compression;
using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.Xz;
using ZstdSharp;

namespace Skiff.Images.Archives;

/// <summary>
/// Recognises a compressed archive by its magic number (gzip, zstd, xz, bzip2) and returns a stream of
/// the plain bytes, so load and import take <c>.tar</c>, <c>.tar.gz</c>, <c>.tar.zst</c>, <c>.tar.xz</c> and
/// <c>.tar.bz2</c> from files and pipes alike.
/// </summary>
public static class ArchiveCompression
{
    public static Stream Decompress(Stream source)
    {
        byte[] magic = new byte[6];
        int read = 0;
        while (read < magic.Length)
        {
            int n = source.Read(magic, read, magic.Length - read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        Stream all = new PrefixedStream(magic, read, source);
        ReadOnlySpan<byte> m = magic.AsSpan(0, read);
        if (m.StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b]))
        {
            return new GZipStream(all, System.IO.Compression.CompressionMode.Decompress);
        }

        if (m.StartsWith((ReadOnlySpan<byte>)[0x28, 0xb5, 0x2f, 0xfd]))
        {
            return new DecompressionStream(all);
        }

        if (m.StartsWith((ReadOnlySpan<byte>)[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))
        {
            return new XZStream(all);
        }

        if (m.StartsWith("BZh"u8))
        {
            return BZip2Stream.Create(all, SharpCompress.Compressors.CompressionMode.Decompress, decompressConcatenated: true);
        }

        return all;
    }
}

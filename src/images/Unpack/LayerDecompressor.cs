using System.IO.Compression;
using Skiff.Core.Errors;
using Skiff.Images.Manifests;

namespace Skiff.Images.Unpack;

/// <summary>
/// Opens the uncompressed tar inside a layer blob. The compression is taken from the magic bytes, not
/// the media type, because registries and old tools mislabel layers (docker's ".tar.gzip" that is plain,
/// and uncompressed layers marked as gzip).
/// </summary>
public static class LayerDecompressor
{
    private const int ReadBufferSize = 1 << 20;

    public static LayerCompression Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        {
            return LayerCompression.Gzip;
        }

        if (head.Length >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd)
        {
            return LayerCompression.Zstd;
        }

        return LayerCompression.None;
    }

    /// <summary>Opens a blob file (seekable) and returns the uncompressed stream; the caller disposes it.</summary>
    public static Stream OpenFile(string blobPath)
    {
        var file = new FileStream(blobPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        try
        {
            return Open(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Wraps a seekable raw blob stream positioned at its start; takes ownership of it.</summary>
    public static Stream Open(Stream raw)
    {
        if (!raw.CanSeek)
        {
            throw SkiffException.Internal("layer blob stream must be seekable to detect its compression");
        }

        Span<byte> head = stackalloc byte[4];
        int got = raw.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        raw.Seek(-got, SeekOrigin.Current);
        var buffered = new BufferedStream(raw, ReadBufferSize);
        return Detect(head[..got]) switch
        {
            LayerCompression.Gzip => new GZipStream(buffered, CompressionMode.Decompress, leaveOpen: false),
            LayerCompression.Zstd => new ZstdSharp.DecompressionStream(buffered, ReadBufferSize, checkEndOfStream: true, leaveOpen: false),
            _ => buffered,
        };
    }
}

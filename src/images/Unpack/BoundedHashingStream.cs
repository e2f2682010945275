using System.Security.Cryptography;
using Skiff.Core.Errors;
using Skiff.Images.Archives;

namespace Skiff.Images.Unpack;

/// <summary>
/// A read-only pass-through that counts and hashes the uncompressed layer (its sha256 is the diff id)
/// and fails once more than <see cref="Limit"/> bytes come out (decompression bombs).
/// </summary>
public sealed class BoundedHashingStream(Stream inner, long limit) : ForwardReadStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long Limit { get; } = limit;

    public long BytesRead { get; private set; }

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        int read = inner.Read(buffer);
        if (read > 0)
        {
            BytesRead += read;
            if (BytesRead > Limit)
            {
                throw SkiffException.InvalidArgument(
                    $"layer expands to more than {Limit} bytes",
                    "the limit guards against decompression bombs; raise it in the storage settings if the image is genuine");
            }

            _hash.AppendData(buffer[..read]);
        }

        return read;
    }

    /// <summary>Reads what is left (tar padding), then returns "sha256:&lt;hex&gt;" of everything read.</summary>
    public string DrainAndDigest()
    {
        byte[] scratch = new byte[64 * 1024];
        while (Read(scratch, 0, scratch.Length) > 0)
        {
        }

        return "sha256:" + Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

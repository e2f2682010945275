using System.Security.Cryptography;

namespace Skiff.Images.Archives;

/// <summary>A read-only pass-through stream that hashes every byte read from it.</summary>
public sealed class HashingStream(Stream inner, IncrementalHash hash) : ForwardReadStream
{
    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        hash.AppendData(buffer[..n]);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        hash.AppendData(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        // The inner stream belongs to the caller.
        base.Dispose(disposing);
    }
}

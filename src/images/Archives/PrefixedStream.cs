namespace Skiff.Images.Archives;

/// <summary>A read-only stream that yields some already-read bytes and then the rest of an inner stream (for sniffing magic numbers on pipes).</summary>
public sealed class PrefixedStream(byte[] prefix, int prefixLength, Stream inner) : ForwardReadStream
{
    private int offset;
    private long consumed;

    /// <summary>Bytes read so far (the xz decoder asks for it to align blocks); setting it is not supported.</summary>
    public override long Position { get => consumed; set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer)
    {
        if (offset < prefixLength)
        {
            int n = Math.Min(buffer.Length, prefixLength - offset);
            prefix.AsSpan(offset, n).CopyTo(buffer);
            offset += n;
            consumed += n;
            return n;
        }

        int read = inner.Read(buffer);
        consumed += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (offset < prefixLength)
        {
            return Read(buffer.Span);
        }

        int read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        consumed += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int start, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(start, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

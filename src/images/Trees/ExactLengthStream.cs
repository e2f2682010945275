namespace Skiff.Images.Trees;

/// <summary>
/// A file's content cut or zero-padded to the size its header announced: a file in a running container
/// may grow or shrink while it is copied, and a tar entry must hold exactly the bytes its header says.
/// Seekable in appearance only (Length and Position), because TarWriter sizes entries from Length.
/// </summary>
public sealed class ExactLengthStream(Stream inner, long length) : Stream
{
    private long position;
    private bool innerEnded;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        long remaining = length - position;
        if (remaining <= 0 || buffer.Length == 0)
        {
            return 0;
        }

        Span<byte> target = buffer[..(int)Math.Min(buffer.Length, remaining)];
        int n = innerEnded ? 0 : inner.Read(target);
        if (n == 0)
        {
            innerEnded = true;
            target.Clear();
            n = target.Length;
        }

        position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) =>
        origin == SeekOrigin.Current && offset == 0 ? position : throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

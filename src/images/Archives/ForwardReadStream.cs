namespace Skiff.Images.Archives;

/// <summary>
/// A read-only stream that only goes forward (hashing, bounding, prefixing or reading ahead of another): the
/// members such a stream refuses, or has nothing to do for, in one place. A derived stream reads in
/// <see cref="Read(Span{byte})"/> and, where async reads matter, overrides <see cref="Stream.ReadAsync(Memory{byte}, CancellationToken)"/>.
/// </summary>
public abstract class ForwardReadStream : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public abstract override int Read(Span<byte> buffer);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

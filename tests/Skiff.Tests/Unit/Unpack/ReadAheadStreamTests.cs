using Skiff.Images.Unpack;

namespace Skiff.Tests.Unit.Unpack;

public sealed class ReadAheadStreamTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(256 * 1024)]
    [InlineData(3 * 1024 * 1024 + 17)]
    public void Yields_exactly_the_inner_bytes(int size)
    {
        byte[] data = new byte[size];
        new Random(size).NextBytes(data);
        using var stream = new ReadAheadStream(new MemoryStream(data));
        var copy = new MemoryStream();
        byte[] buffer = new byte[7919];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            copy.Write(buffer, 0, read);
        }

        Assert.Equal(data, copy.ToArray());
        Assert.Equal(0, stream.Read(buffer, 0, buffer.Length));
    }

    [Fact]
    public void An_error_of_the_inner_stream_reaches_the_reader()
    {
        using var stream = new ReadAheadStream(new FailingStream(600 * 1024));
        var error = Assert.Throws<IOException>(() => stream.CopyTo(Stream.Null));
        Assert.Equal("broken", error.Message);
    }

    [Fact]
    public void Disposing_early_stops_the_producer_and_disposes_the_inner_stream()
    {
        var inner = new FailingStream(long.MaxValue);
        var stream = new ReadAheadStream(inner);
        Assert.Equal(10, stream.Read(new byte[10], 0, 10));
        stream.Dispose();
        Assert.True(inner.Disposed);
    }

    private sealed class FailingStream(long failAfter) : Stream
    {
        private long position;

        public bool Disposed { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            ObjectDisposedException.ThrowIf(Disposed, this);
            if (position >= failAfter)
            {
                throw new IOException("broken");
            }

            int n = (int)Math.Min(count, failAfter - position);
            position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}

using Skiff.Images.Archives;

namespace Skiff.Tests.Unit.Images;

/// <summary>What every forward-only read stream (hashing, bounding, prefixing, read-ahead, tar entries) shares through <see cref="ForwardReadStream"/>.</summary>
public sealed class ForwardReadStreamTests
{
    [Fact]
    public void Array_reads_land_at_the_offset_and_everything_but_reading_is_refused()
    {
        using var stream = new PrefixedStream("ab"u8.ToArray(), 2, new MemoryStream("cd"u8.ToArray()));
        byte[] buffer = new byte[6];
        Assert.Equal(2, stream.Read(buffer, 1, 3));
        Assert.Equal(2, stream.Read(buffer, 3, 3));
        Assert.Equal(0, stream.Read(buffer, 5, 1));
        Assert.Equal("\0abcd\0"u8.ToArray(), buffer);

        Assert.Equal((true, false, false), (stream.CanRead, stream.CanSeek, stream.CanWrite));
        Assert.Throws<NotSupportedException>(() => stream.Length);
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.SetLength(1));
        Assert.Throws<NotSupportedException>(() => stream.Write(buffer, 0, 1));
        stream.Flush();
    }
}

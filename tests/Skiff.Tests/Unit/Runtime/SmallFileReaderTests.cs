using Skiff.Runtime.Fds;

namespace Skiff.Tests.Unit.Runtime;

public sealed class SmallFileReaderTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("skiff-small-file-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Reads_files_of_any_size_through_one_buffer()
    {
        var reader = new SmallFileReader();
        byte[] large = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();
        File.WriteAllBytes(Path.Combine(directory, "large"), large);
        File.WriteAllBytes(Path.Combine(directory, "small"), "{}"u8.ToArray());
        File.WriteAllBytes(Path.Combine(directory, "empty"), []);

        Assert.True(reader.TryRead(Path.Combine(directory, "large"), out ReadOnlySpan<byte> content));
        Assert.Equal(large, content.ToArray());
        Assert.True(reader.TryRead(Path.Combine(directory, "small"), out content));
        Assert.Equal("{}"u8.ToArray(), content.ToArray());
        Assert.True(reader.TryRead(Path.Combine(directory, "empty"), out content));
        Assert.Equal(0, content.Length);
    }

    [Fact]
    public void A_missing_file_or_directory_is_false_and_other_errors_throw()
    {
        var reader = new SmallFileReader();
        File.WriteAllBytes(Path.Combine(directory, "file"), [1]);
        Assert.False(reader.TryRead(Path.Combine(directory, "nope"), out _));
        Assert.False(reader.TryRead(Path.Combine(directory, "gone", "config.json"), out _));
        Assert.False(reader.TryRead(Path.Combine(directory, "file", "config.json"), out _));
        Assert.Throws<Skiff.Core.Errors.SystemCallException>(() => reader.TryRead(new string('x', 5000), out _));
    }

    [Fact]
    public void Reads_the_start_of_a_file()
    {
        File.WriteAllBytes(Path.Combine(directory, "f"), "abcdef"u8.ToArray());
        Span<byte> start = stackalloc byte[4];
        Assert.Equal(4, SmallFileReader.TryReadStart(Path.Combine(directory, "f"), start));
        Assert.Equal("abcd"u8.ToArray(), start.ToArray());
        Assert.Equal(-1, SmallFileReader.TryReadStart(Path.Combine(directory, "nope"), start));
    }
}

using System.Text;
using Skiff.Core.Files;

namespace Skiff.Tests.Unit.Core;

/// <summary>KernelFile reads the whole file whatever its length: within its stack buffer, at its edge and past it.</summary>
public sealed class KernelFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("skiff-kernelfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(16384)]
    [InlineData(100_000)]
    public void Reads_the_whole_file(int length)
    {
        var text = new StringBuilder(length);
        for (int i = 0; text.Length < length; i++)
        {
            text.Append(i % 97 == 0 ? '\n' : (char)('a' + (i % 26)));
        }

        string path = Path.Combine(_dir, "f");
        File.WriteAllText(path, text.ToString());

        Assert.Equal(text.ToString(), KernelFile.ReadAllText(path));
    }

    [Fact]
    public void Reads_files_the_kernel_generates()
    {
        Assert.Equal(File.ReadAllText("/proc/self/mountinfo").Split('\n')[0], KernelFile.ReadAllText("/proc/self/mountinfo").Split('\n')[0]);
        Assert.StartsWith("Name:", KernelFile.ReadAllText("/proc/self/status"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_throws_as_File_does() =>
        Assert.Throws<FileNotFoundException>(() => KernelFile.ReadAllText(Path.Combine(_dir, "missing")));
}

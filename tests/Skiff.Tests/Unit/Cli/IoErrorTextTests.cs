using Skiff.Cli;
using Skiff.Cli.Commands.Containers;
using Skiff.Core.Errors;

namespace Skiff.Tests.Unit.Cli;

public sealed class IoErrorTextTests
{
    [Fact]
    public void File_errors_are_named_as_podman_names_them()
    {
        Assert.Equal("no such file or directory", IoErrorText.Reason(new FileNotFoundException("IO_FileNotFound_FileName, /x")));
        Assert.Equal("no such file or directory", IoErrorText.Reason(new DirectoryNotFoundException()));
        Assert.Equal("permission denied", IoErrorText.Reason(new UnauthorizedAccessException()));
        Assert.Equal("is a directory", IoErrorText.Reason(new IOException("IO_Key, /x", 21)));
        Assert.Null(IoErrorText.Reason(new IOException("plain")));
        Assert.Equal("open /x: no such file or directory", IoErrorText.Describe("open", "/x", new FileNotFoundException("IO_FileNotFound_FileName, /x")));
    }

    [Fact]
    public void A_missing_env_file_says_so_in_words()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"skiff-no-env-{Guid.NewGuid():N}");
        SkiffException e = Assert.Throws<SkiffException>(() => EnvironmentFlags.Collect([], [missing]));
        Assert.Equal($"parsing env file \"{missing}\": open {missing}: no such file or directory", e.Message);
        Assert.Equal(ErrorKind.NotFound, e.Kind);
    }
}

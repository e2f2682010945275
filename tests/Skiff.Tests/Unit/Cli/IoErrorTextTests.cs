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

    [Fact]
    public void An_unexpected_file_error_shows_its_path_and_reason_not_a_resource_key()
    {
        Assert.Equal("/nonexistdir/x.tmp: no such file or directory", IoErrorText.Unexpected(new DirectoryNotFoundException("IO_PathNotFound_Path, /nonexistdir/x.tmp")));
        Assert.Equal("/etc/x: permission denied", IoErrorText.Unexpected(new UnauthorizedAccessException("UnauthorizedAccess_IODenied_Path, /etc/x")));
        Assert.Equal("Could not find a part of the path '/x'.", IoErrorText.Unexpected(new DirectoryNotFoundException("Could not find a part of the path '/x'.")));

        var text = new StringWriter();
        new ErrorReporter(text, debug: false).ReportUnexpected(new DirectoryNotFoundException("IO_PathNotFound_Path, /nonexistdir/x.tmp"));
        Assert.StartsWith("Error: /nonexistdir/x.tmp: no such file or directory\n", text.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}

using Skiff.Cli.Commands.Containers;
using Skiff.Core.Errors;

namespace Skiff.Tests.Unit.Cli;

/// <summary>run -a: podman's stream names in any case; stdin selects no output.</summary>
public sealed class AttachStreamsTests
{
    [Fact]
    public void No_flag_means_every_stream() => Assert.Null(AttachStreams.Parse([]));

    [Fact]
    public void Names_in_any_case_pick_the_output_streams()
    {
        Assert.Equal(new AttachStreams(true, false), AttachStreams.Parse(["STDOUT"]));
        Assert.Equal(new AttachStreams(false, true), AttachStreams.Parse(["stdin", "stderr"]));
        Assert.Equal(new AttachStreams(false, false), AttachStreams.Parse(["stdin"]));
    }

    [Fact]
    public void An_unknown_stream_is_podmans_error()
    {
        SkiffException e = Assert.Throws<SkiffException>(() => AttachStreams.Parse(["stdout", "foo"]));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.StartsWith("invalid stream \"foo\" for --attach - must be one of stdin, stdout, or stderr", e.Message);
    }
}

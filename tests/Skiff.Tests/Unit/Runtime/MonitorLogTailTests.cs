using Skiff.Runtime.Monitor;

namespace Skiff.Tests.Unit.Runtime;

/// <summary>What the CLI shows of a dead monitor's log: its messages without a crash's stack frames, bounded.</summary>
public class MonitorLogTailTests
{
    [Fact]
    public void A_crash_shows_its_message_and_inner_message_but_no_frames()
    {
        string[] log =
        [
            "Unhandled exception. System.UnauthorizedAccessException: UnauthorizedAccess_IODenied_Path, /run/user/1001",
            " ---> System.IO.IOException: Permission denied",
            "   Exception_EndOfInnerExceptionStack",
            "   at System.IO.FileSystem.CreateParentsAndDirectory(String, UnixFileMode) + 0x2c5",
            "--- End of stack trace from previous location ---",
            "   at Program.<Main>(String[] args) + 0x2b",
        ];

        Assert.Equal(
            "Unhandled exception. System.UnauthorizedAccessException: UnauthorizedAccess_IODenied_Path, /run/user/1001\n ---> System.IO.IOException: Permission denied",
            MonitorLogTail.Summary(log));
    }

    [Fact]
    public void Plain_messages_pass_and_a_long_log_keeps_its_end()
    {
        Assert.Equal("pasta: cannot open /dev/net/tun", MonitorLogTail.Summary(["", "pasta: cannot open /dev/net/tun", ""]));
        string[] many = [.. Enumerable.Range(0, 500).Select(i => $"line {i}")];
        string summary = MonitorLogTail.Summary(many);
        Assert.Equal(MonitorLogTail.MaxLength, summary.Length);
        Assert.EndsWith("line 499", summary);
        Assert.Empty(MonitorLogTail.Summary([]));
    }
}

using Skiff.Cli.Commands.Containers;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Monitor;

namespace Skiff.Tests.Unit.Cli;

public class SdNotifyTests
{
    [Theory]
    [InlineData(null, "container")]
    [InlineData("", null)]
    [InlineData("container", "container")]
    [InlineData("conmon", "conmon")]
    [InlineData("ignore", "ignore")]
    public void Modes_parse_as_podmans(string? value, string? expected) => Assert.Equal(expected, SdNotifyModes.Parse(value));

    [Fact]
    public void A_bad_mode_is_podmans_error()
    {
        var e = Assert.Throws<SkiffException>(() => SdNotifyModes.Parse("bogus"));
        Assert.Equal("invalid config provided: invalid argument: invalid sdnotify value \"bogus\": must be container, conmon or ignore", e.Message);
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Theory]
    [InlineData("container", "/run/n", "/run/n")]
    [InlineData("conmon", "/run/n", "/run/n")]
    [InlineData("ignore", "/run/n", null)]
    [InlineData(null, "/run/n", null)]
    [InlineData("conmon", null, null)]
    [InlineData("conmon", "", null)]
    public void The_socket_is_kept_unless_ignored(string? mode, string? socket, string? expected) => Assert.Equal(expected, SdNotifyModes.Socket(mode, socket));

    [Fact]
    public void Conmon_mode_sends_mainpid_and_ready()
    {
        Assert.Equal("MAINPID=42\nREADY=1", SystemdNotification.StartedMessage("conmon", 42));
        Assert.Equal("MAINPID=42", SystemdNotification.StartedMessage("container", 42));
    }

    [Fact]
    public void The_proxy_drops_mainpid_and_ends_at_ready()
    {
        Assert.Equal(("READY=1\nSTATUS=up", true), NotifyProxy.Filter("MAINPID=7\nREADY=1\nSTATUS=up\n"));
        Assert.Equal(("STATUS=starting", false), NotifyProxy.Filter("STATUS=starting"));
        Assert.Equal(((string?)null, false), NotifyProxy.Filter("MAINPID=7"));
    }

    [Fact]
    public void The_recorded_command_line_loses_the_separator_put_before_the_image()
    {
        Assert.Equal(["skiff", "run", "-d", "img", "sh"], CreateCommandLine.Record(["skiff", "run", "-d", "--", "img", "sh"], "img"));
        Assert.Equal(["skiff", "run", "img", "--", "x"], CreateCommandLine.Record(["skiff", "run", "img", "--", "x"], "img"));
    }
}

public class NotifyDatagramTests
{
    [Fact]
    public void A_datagram_reaches_a_path_socket_and_an_abstract_one()
    {
        string path = Path.Combine(Path.GetTempPath(), $"skiff-notify-{Guid.NewGuid():N}"[..30] + ".sock");
        using var bound = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified);
        bound.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        string name = $"skiff-test-{Guid.NewGuid():N}";
        using var hidden = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified);
        hidden.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint("\0" + name));
        try
        {
            Skiff.Runtime.Fds.UnixSockets.SendDatagram(path, "READY=1"u8);
            Skiff.Runtime.Fds.UnixSockets.SendDatagram("@" + name, "MAINPID=9"u8);
            byte[] buffer = new byte[64];
            bound.ReceiveTimeout = hidden.ReceiveTimeout = 5000;
            Assert.Equal("READY=1", System.Text.Encoding.UTF8.GetString(buffer, 0, bound.Receive(buffer)));
            Assert.Equal("MAINPID=9", System.Text.Encoding.UTF8.GetString(buffer, 0, hidden.Receive(buffer)));
            Assert.Throws<SystemCallException>(() => Skiff.Runtime.Fds.UnixSockets.SendDatagram(path + ".missing", "READY=1"u8));
        }
        finally
        {
            File.Delete(path);
        }
    }
}

using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Monitor;
using Skiff.Runtime.Process;

namespace Skiff.Tests.Unit.Runtime;

/// <summary>The monitor's --timeout (<see cref="MonitorRelay.Deadline"/>) on a real child: killed at the deadline, code -1 as conmon's.</summary>
public sealed class MonitorRelayTimeoutTests
{
    [Fact]
    public void A_container_past_its_deadline_is_killed_and_ends_with_minus_one()
    {
        (int pid, SafeFileHandle pidFd) = Start("sleep 600");
        var relay = new MonitorRelay(null, null, null, null, null, null, []) { Deadline = Environment.TickCount64 };

        ChildExit exit = relay.Run(pid, pidFd, TimeSpan.FromSeconds(5), onIdle: null);

        Assert.True(relay.TimedOut);
        Assert.Equal(new ChildExit(MonitorRelay.TimedOutExitCode, 0), exit);
        Assert.Equal(-1, exit.ShellCode);
    }

    [Fact]
    public void A_container_that_ends_first_keeps_its_own_code()
    {
        (int pid, SafeFileHandle pidFd) = Start("exit 3");
        var relay = new MonitorRelay(null, null, null, null, null, null, []) { Deadline = Environment.TickCount64 + 600_000 };

        ChildExit exit = relay.Run(pid, pidFd, TimeSpan.FromSeconds(5), onIdle: null);

        Assert.False(relay.TimedOut);
        Assert.Equal(3, exit.ShellCode);
    }

    private static (int Pid, SafeFileHandle PidFd) Start(string script)
    {
        int pid = Spawner.Spawn(new SpawnRequest("/bin/sh", ["-c", script], new Dictionary<string, string>()));
        return (pid, Descriptors.TryOpenPidFd(pid) ?? throw new InvalidOperationException("pidfd_open failed"));
    }
}

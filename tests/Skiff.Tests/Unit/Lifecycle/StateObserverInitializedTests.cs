using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Process;
using Xunit;

namespace Skiff.Tests.Unit.Lifecycle;

/// <summary>An initialized container (<c>skiff init</c>) as observed: its monitor alive, or dead with nobody left to start it.</summary>
public sealed class StateObserverInitializedTests
{
    private static readonly int Self = Environment.ProcessId;

    private static ContainerState Initialized(int monitorPid, long monitorStart) => new()
    {
        Status = ContainerStatus.Initialized,
        Pid = Self,
        PidStartTime = ProcessStartTime.TryRead(Self)!.Value,
        MonitorPid = monitorPid,
        MonitorStartTime = monitorStart,
    };

    [Fact]
    public void A_live_monitor_keeps_it_initialized()
    {
        ContainerState state = Initialized(Self, ProcessStartTime.TryRead(Self)!.Value);
        Assert.Same(state, new StateObserver(TimeProvider.System).Observe(state));
        Assert.False(state.Running);
        Assert.True(state.Initialized);
    }

    [Fact]
    public void A_dead_monitor_leaves_it_created_without_processes()
    {
        // The same pid with another start time: a reused pid is not the monitor.
        ContainerState observed = new StateObserver(TimeProvider.System).Observe(Initialized(Self, 1));
        Assert.Equal(ContainerStatus.Created, observed.Status);
        Assert.Equal(0, observed.Pid);
        Assert.Equal(0, observed.MonitorPid);
        Assert.Contains("monitor died while the container was initialized", observed.Error, StringComparison.Ordinal);
    }
}

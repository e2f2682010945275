using Skiff.Runtime.Process;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// Turns a recorded state into the true one by checking that the recorded processes still exist (pid and
/// start time). The monitor records every exit it sees; this covers the cases it cannot: the monitor
/// itself was killed, or the machine rebooted.
/// </summary>
public sealed class StateObserver(TimeProvider clock)
{
    public const int UnknownExitCode = -1;

    public ContainerState Observe(ContainerState state)
    {
        // Each check reads /proc/PID/stat: only the ones the answer needs (ps observes every container).
        if (state.Running)
        {
            if (ProcessStartTime.IsAlive(state.Pid, state.PidStartTime) || MonitorAlive(state))
            {
                // A live monitor records the exit itself in a moment.
                return state;
            }

            return state with
            {
                Status = ContainerStatus.Exited,
                ExitCode = UnknownExitCode,
                FinishedAt = state.FinishedAt ?? clock.GetUtcNow(),
                Error = "the container's monitor died before the container ended; its exit code is unknown",
                MonitorPid = 0,
                MonitorStartTime = 0,
            };
        }

        if (state.Initialized && !MonitorAlive(state))
        {
            // Nobody can start the runtime's init without the monitor: the container is back to created
            // (the lifecycle deletes the runtime's state, which ends that init and removes its cgroup).
            return state with
            {
                Status = ContainerStatus.Created,
                Error = "the container's monitor died while the container was initialized",
                Pid = 0,
                PidStartTime = 0,
                MonitorPid = 0,
                MonitorStartTime = 0,
            };
        }

        if (state.Status == ContainerStatus.Created && state.MonitorPid > 0 && !MonitorAlive(state))
        {
            return state with
            {
                Error = state.Error ?? "the container's monitor died while starting the container",
                MonitorPid = 0,
                MonitorStartTime = 0,
            };
        }

        if (state.Status == ContainerStatus.Exited && state.MonitorPid > 0 && !MonitorAlive(state))
        {
            // The monitor of a container with a restart policy died before it decided whether to restart it.
            return state with { MonitorPid = 0, MonitorStartTime = 0 };
        }

        return state;
    }

    /// <summary>Whether the monitor process recorded in <paramref name="state"/> is still running.</summary>
    public static bool MonitorAlive(ContainerState state) =>
        state.MonitorPid > 0 && ProcessStartTime.IsAlive(state.MonitorPid, state.MonitorStartTime);

    public static bool ContainerAlive(ContainerState state) =>
        state.Pid > 0 && ProcessStartTime.IsAlive(state.Pid, state.PidStartTime);
}

using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Health;
using Skiff.Runtime.Process;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// The scheduled healthchecks of a running container, driven by the relay's poll loop (the monitor's and then
/// skiff-relay's): when the timer is due it starts <see cref="HealthCheckCommand"/> as a child, waits for it through
/// its pidfd in the same poll, and reaps exactly that pid, so the container's own exit (waited for by its pid) is
/// never taken for a check's, nor the other way round. One check at a time; none is started once the container ended,
/// and one still running then is left to <see cref="EndRunning()"/> once the exit is recorded.
/// </summary>
public sealed class HealthCheckSchedule(HealthCheckCommand command, HealthCheckTimer timer, int childPid = 0, SafeFileHandle? childPidFd = null)
{
    public HealthCheckCommand Command { get; } = command;

    public HealthCheckTimer Timer { get; } = timer;

    /// <summary>The running check's pid, 0 when none runs.</summary>
    public int ChildPid { get; private set; } = childPid;

    /// <summary>The running check's pidfd, polled with the container's.</summary>
    public SafeFileHandle? ChildPidFd { get; private set; } = childPidFd;

    /// <summary>The first check is due one interval after <paramref name="startedAt"/> (a <see cref="Environment.TickCount64"/> value).</summary>
    public static HealthCheckSchedule? For(HealthCheckConfig? config, HealthCheckCommand command, long startedAt) =>
        config is { Enabled: true, Interval: > 0 }
            ? new HealthCheckSchedule(command, new HealthCheckTimer(Math.Max(1, config.Interval / 1_000_000), startedAt + Math.Max(1, config.Interval / 1_000_000)))
            : null;

    /// <summary>The poll timeout until the next check is due (-1 while one runs).</summary>
    public int WaitMilliseconds() => Timer.WaitMilliseconds(Environment.TickCount64);

    /// <summary>
    /// How long a check still running when the container ended may go on once the exit is recorded: it normally ends
    /// within a moment (its process in the container ended with the container's pid namespace).
    /// </summary>
    public static readonly TimeSpan EndGrace = TimeSpan.FromSeconds(10);

    /// <summary>A check still running once the container's exit is recorded: see <see cref="EndRunning(int, SafeFileHandle?)"/>.</summary>
    public void EndRunning()
    {
        EndRunning(ChildPid, ChildPidFd);
        ChildPidFd?.Dispose();
        ChildPidFd = null;
        ChildPid = 0;
    }

    /// <summary>
    /// The last thing the monitor (or the skiff skiff-relay execs) does once the container's exit is recorded: a check
    /// still running (<paramref name="pid"/>, its child; 0 for none) gets <see cref="EndGrace"/> to end, is then killed
    /// (its result no longer matters: health.json is replaced whole, so a kill leaves the old record), and exactly its
    /// pid is reaped, so no check outlives its container's monitor, not even as a zombie.
    /// </summary>
    public static void EndRunning(int pid, SafeFileHandle? pidFd)
    {
        if (pid <= 0)
        {
            return;
        }

        // Still our child until reaped (a zombie at worst), so neither its pid nor a pidfd opened now names another process.
        using SafeFileHandle? opened = pidFd is null ? Descriptors.TryOpenPidFd(pid) : null;
        SafeFileHandle? watched = pidFd ?? opened;
        if (watched is null || !PollSet.WaitReadable(watched, (int)EndGrace.TotalMilliseconds))
        {
            ChildProcesses.TrySignal(pid, 9);
        }

        try
        {
            ChildProcesses.Wait(pid);
        }
        catch (SystemCallException)
        {
        }
    }

    /// <summary>After a poll: reaps a check that ended (<paramref name="childReady"/>: its pidfd was readable) and starts a due one.</summary>
    public void AfterWait(bool childReady)
    {
        if (childReady && ChildPid > 0)
        {
            try
            {
                ChildProcesses.Wait(ChildPid);
            }
            catch (SystemCallException)
            {
            }

            ChildPidFd?.Dispose();
            ChildPidFd = null;
            ChildPid = 0;
            Timer.Ended(Environment.TickCount64);
        }

        if (!Timer.TryStart(Environment.TickCount64))
        {
            return;
        }

        try
        {
            (ChildPid, ChildPidFd) = Command.Start();
            if (ChildPidFd is null)
            {
                // No pidfd (kernel before 5.3): wait for it now rather than lose track of it.
                ChildProcesses.Wait(ChildPid);
                ChildPid = 0;
                Timer.Ended(Environment.TickCount64);
            }
        }
        catch (SystemCallException e)
        {
            Console.Error.WriteLine($"skiff monitor: cannot start the healthcheck: {e.Message}");
            ChildPid = 0;
            Timer.Ended(Environment.TickCount64);
        }
    }
}

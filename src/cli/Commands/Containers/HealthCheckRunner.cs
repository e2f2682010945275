using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Health;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Process;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// One run of a container's healthcheck (podman's runHealthCheck): the test runs through the exec path with the
/// check's timeout, the result goes into the container's health record (<see cref="HealthState.Record"/>), and when the
/// container is then unhealthy its on-failure action is taken. The caller checked that the container runs.
/// </summary>
public sealed class HealthCheckRunner(ContainerLifecycle lifecycle, TimeProvider clock)
{
    public (HealthLogEntry Entry, HealthState Health, bool TimedOut) Run(string id, ContainerConfig config, ContainerState state)
    {
        HealthCheckConfig check = config.Healthcheck!;
        // Watched through the check: a container stopped meanwhile ends its init first, and the check's process with it.
        using SafeFileHandle? init = StateObserver.ContainerAlive(state) ? Descriptors.TryOpenPidFd(state.Pid) : null;
        DateTimeOffset start = clock.GetUtcNow();
        ExecCapture capture;
        try
        {
            var executor = new ContainerExecutor(lifecycle.Store, id, config);
            capture = executor.RunCaptured(executor.Prepare(check.Command, [], null, null, detach: true), TimeSpan.FromTicks(check.Timeout / 100), HealthState.MaxOutputLength * 4);
        }
        catch (SkiffException e) when (e.Kind is ErrorKind.CannotExecute or ErrorKind.CommandNotFound)
        {
            // The test cannot run (no /bin/sh in the image, say): a failed check, as podman counts it.
            capture = new ExecCapture(e.Kind == ErrorKind.CommandNotFound ? 127 : 126, e.Message, TimedOut: false);
        }

        DateTimeOffset end = clock.GetUtcNow();
        // A check killed by a signal may have gone down with the container (its pid namespace ends with the init): give the
        // init's exit a moment to show.
        bool initEnded = init is not null && PollSet.WaitReadable(init, capture.ExitCode >= 128 ? 250 : 0);
        ContainerState after = lifecycle.Observe(id);
        if (initEnded || after.Status != ContainerStatus.Running || after.StartedAt != state.StartedAt || after.StoppedByUser)
        {
            // Stopped (or restarted) while the check ran: its failure says nothing about the container's health, and
            // an on-failure action must not act on a container the user just stopped.
            throw SkiffException.Conflict($"container {id} is not running", "the container stopped while its healthcheck ran");
        }

        bool inStartPeriod = check.StartPeriod > 0 && state.StartedAt is { } started && start < started.AddTicks(check.StartPeriod / 100);
        var entry = new HealthLogEntry(start, end, capture.ExitCode, capture.Output.TrimEnd('\n'));
        HealthState health = new HealthStore(lifecycle.Store.Directory).Update(id, old => old.Record(entry, check.Retries, inStartPeriod));
        lifecycle.Store.RecordHealthStatus(config, health.Status);
        if (entry.ExitCode != 0 && health.Status == HealthStatus.Unhealthy)
        {
            TakeAction(id, check.OnFailure);
        }

        return (entry, health, capture.TimedOut);
    }

    /// <summary>podman's --health-on-failure: kill (SIGKILL), stop (the stop signal, then SIGKILL after the stop timeout) or restart.</summary>
    private void TakeAction(string id, string action)
    {
        switch (action)
        {
            case HealthOnFailure.Kill:
                lifecycle.Kill(id, Signals.Parse("SIGKILL"));
                break;
            case HealthOnFailure.Stop:
                lifecycle.Stop(id, null);
                break;
            case HealthOnFailure.Restart:
                lifecycle.Stop(id, null);
                lifecycle.Start(id, null);
                break;
        }
    }
}

using System.Globalization;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Monitor;
using Skiff.Runtime.Process;
using Skiff.Runtime.Volumes;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// Container lifecycle operations over the store: start (through a monitor), stop, kill, wait, remove.
/// Every decision is taken on the observed state (pids checked against their start times), so a dead
/// monitor or container never leaves a command believing a lie.
/// </summary>
/// <param name="volumes">Where an --rm container's anonymous volumes go when its start fails; null leaves them.</param>
public sealed class ContainerLifecycle(ContainerStore store, MonitorLauncher launcher, StateObserver observer, Func<ContainerStore, IContainerNetwork>? network = null, VolumeStore? volumes = null)
{
    public ContainerStore Store { get; } = store;

    /// <summary>The state as it really is now; repairs the recorded one when the monitor died.</summary>
    public ContainerState Observe(string id)
    {
        ContainerState recorded = Store.ReadState(id);
        ContainerState observed = observer.Observe(recorded);
        if (!ReferenceEquals(recorded, observed) && recorded != observed)
        {
            using (Store.Lock(id))
            {
                recorded = Store.ReadState(id);
                observed = observer.Observe(recorded);
                if (recorded != observed)
                {
                    EndAbandonedInit(recorded);
                    Store.WriteState(id, observed);
                    DeleteRuntimeState(id);
                    if (!observed.Running)
                    {
                        // The monitor died before it could clean up: its network helper (pasta) would
                        // otherwise run on forever, holding the namespace.
                        ContainerConfig config = Store.ReadConfig(id);
                        network?.Invoke(Store).Disconnect(config);
                        if (recorded.Running)
                        {
                            // Nobody else noticed the end: its monitor is gone.
                            Store.RecordEvent(config, "died", observed.ExitCode);
                        }
                    }
                }
            }
        }

        return observed;
    }

    /// <summary>The runtime's init of an initialized container whose monitor died waits for a start nobody can give: it is killed.</summary>
    private static void EndAbandonedInit(ContainerState recorded)
    {
        if (recorded.Initialized && StateObserver.ContainerAlive(recorded))
        {
            ChildProcesses.TrySignal(recorded.Pid, 9);
        }
    }

    /// <summary>Under the container's lock: the observed state, with what an initialized container's dead monitor left (its init, the runtime's state) cleared.</summary>
    private ContainerState ObserveLocked(string id)
    {
        ContainerState recorded = Store.ReadState(id);
        ContainerState state = observer.Observe(recorded);
        if (recorded.Initialized && !state.Initialized)
        {
            EndAbandonedInit(recorded);
            Store.WriteState(id, state);
            DeleteRuntimeState(id);
        }

        return state;
    }

    /// <summary>A monitor for a container about to be created (see <see cref="MonitorLauncher.Prepare"/>); give it to <see cref="Start"/>.</summary>
    /// <param name="networkHint">The network the container will most likely use, so the monitor can start its helper early; null for none.</param>
    public PreparedMonitor PrepareMonitor(SafeFileHandle? attachClient, string? networkHint = null) => launcher.Prepare(attachClient, networkHint);

    /// <summary>
    /// podman's <c>init</c>: the runtime creates a created or exited container (namespaces, mounts, cgroup) and its
    /// monitor waits with the process not started; <see cref="Start"/> starts it.
    /// </summary>
    public void Init(string id)
    {
        using (Store.Lock(id))
        {
            ContainerState state = ObserveLocked(id);
            if (state.Running || state.Initialized)
            {
                throw SkiffException.Conflict($"container {id} has already been created in runtime: container state improper");
            }

            if (state.RestartCount != 0 || state.StoppedByUser)
            {
                Store.WriteState(id, state with { RestartCount = 0, StoppedByUser = false });
            }

            Launch(id, null, null, initOnly: true);
        }
    }

    /// <summary>Starts a created, initialized or exited container; a running one is left alone (docker start is idempotent).</summary>
    /// <param name="prepared">A monitor from <see cref="PrepareMonitor"/> made with the same attach client, or null.</param>
    /// <param name="preserveFds">This process's descriptors 3 to 2+N, handed to the container's process at the same numbers (run --preserve-fds).</param>
    public void Start(string id, SafeFileHandle? attachClient, PreparedMonitor? prepared = null, int preserveFds = 0)
    {
        using (Store.Lock(id))
        {
            ContainerState state = ObserveLocked(id);
            if (state.Running)
            {
                return;
            }

            if (state.Initialized)
            {
                StartInitialized(id, attachClient);
                return;
            }

            if (state.RestartCount != 0 || state.StoppedByUser)
            {
                // A start by the user begins the policy's count afresh, as podman's does.
                Store.WriteState(id, state with { RestartCount = 0, StoppedByUser = false });
            }

            Launch(id, attachClient, prepared, preserveFds: preserveFds);
        }
    }

    /// <summary>
    /// Run by the monitor once the container ended by itself and its end is recorded and cleaned up: starts it again
    /// when its restart policy says so, through the same path as <see cref="Start"/>. Decided under the container's
    /// lock, which stop, kill and rm -f take to record that the user stopped it: either they come first and it stays
    /// stopped, or the restart comes first and they find it running. False when it was left stopped.
    /// </summary>
    public bool RestartByPolicy(string id)
    {
        DescriptorLock held;
        try
        {
            held = Store.Lock(id);
        }
        catch (SkiffException) when (!Store.Exists(id))
        {
            return false; // removed meanwhile
        }

        using (held)
        {
            if (!Store.Exists(id))
            {
                return false;
            }

            ContainerConfig config = Store.ReadConfig(id);
            ContainerState state = observer.Observe(Store.ReadState(id));
            if (state.Running)
            {
                return false;
            }

            if (state.StoppedByUser || config.AutoRemove
                || !RestartPolicy.ShouldRestart(config.RestartPolicy, config.RestartRetries, state.ExitCode, state.RestartCount))
            {
                // The end is final: the monitor (kept in the state until now, see ContainerEnd) is about to exit.
                if (state.MonitorPid != 0)
                {
                    Store.WriteState(id, state with { MonitorPid = 0, MonitorStartTime = 0 });
                }

                return false;
            }

            Store.WriteState(id, state with { RestartCount = state.RestartCount + 1 });
            try
            {
                Launch(id, null, null);
            }
            catch (SkiffException)
            {
                // A monitor that got as far as starting recorded why it failed (FailedStart); one that did not leaves the old monitor's pid.
                ContainerState after = Store.ReadState(id);
                if (after.MonitorPid == state.MonitorPid && after.MonitorPid != 0)
                {
                    Store.WriteState(id, after with { MonitorPid = 0, MonitorStartTime = 0 });
                }

                throw;
            }

            return true;
        }
    }

    /// <summary>
    /// Asks the monitor of an initialized container to start it, on the attach socket, and waits for its answer. The
    /// connection is the attach client of <c>start -a</c> (the caller's end of <paramref name="attachClient"/>'s pair
    /// is not used then: the caller gets this connection back through <see cref="StartInitializedAttached"/>).
    /// </summary>
    private void StartInitialized(string id, SafeFileHandle? attachClient)
    {
        if (attachClient is not null)
        {
            throw SkiffException.Internal("an initialized container is started with an attach connection of its own: use StartInitializedAttached");
        }

        RequestStart(id).Dispose();
    }

    /// <summary>
    /// <c>start -a</c> of an initialized container: the connection that asked its monitor for the start, already an attach
    /// client, so nothing the process writes first is missed. Null when the container is not initialized (start it as usual).
    /// </summary>
    public SafeFileHandle? StartInitializedAttached(string id)
    {
        using (Store.Lock(id))
        {
            return observer.Observe(Store.ReadState(id)).Initialized ? RequestStart(id) : null;
        }
    }

    private SafeFileHandle RequestStart(string id)
    {
        SafeFileHandle connection;
        try
        {
            connection = AttachClient.Connect(Store.AttachSocketPath(id));
        }
        catch (SkiffException e)
        {
            throw SkiffException.Unavailable($"cannot reach the monitor of initialized container {id}: {e.Message}", "check 'skiff ps -a': the container may have been stopped meanwhile");
        }

        try
        {
            byte[] answer = new byte[4096];
            int n = UnixSockets.Send(connection, [AttachFrame.Start]) ? UnixSockets.Receive(connection, answer) : 0;
            if (n < 1 || answer[0] != AttachFrame.Started)
            {
                throw SkiffException.Internal($"the monitor of container {id} ended before it started the container");
            }

            if (MonitorReport.Parse(answer.AsSpan(1, n - 1)) is { } failure)
            {
                throw failure;
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Starts the container's monitor; the caller holds the container's lock.</summary>
    private void Launch(string id, SafeFileHandle? attachClient, PreparedMonitor? prepared, bool initOnly = false, int preserveFds = 0)
    {
        try
        {
            ContainerConfig config = Store.ReadConfig(id);
            JoinDependencies(config);
            launcher.Start(id, attachClient, prepared, initOnly, callerStdio: config.LogDriver == Logs.LogDrivers.Passthrough && !config.Tty, preserveFds);
        }
        catch (SkiffException)
        {
            ContainerConfig config = Store.ReadConfig(id);
            if (config.AutoRemove)
            {
                Store.Remove(id);
                // As after a run that ended (ContainerEnd) and as podman's run --rm whose start failed:
                // the anonymous volumes go with the container, named ones stay.
                try
                {
                    volumes?.RemoveAnonymous(config.Mounts);
                }
                catch (Exception e) when (e is SkiffException or IOException or UnauthorizedAccessException)
                {
                    // The start's error is the one to report; a volume left here is swept by volume prune.
                }
            }

            throw;
        }
    }

    /// <summary>
    /// Starts the containers whose namespaces this one joins, as podman does, and points its bundle at their
    /// processes. A dependency is always created before its dependents, so there is no cycle.
    /// </summary>
    private void JoinDependencies(ContainerConfig config)
    {
        IReadOnlyList<string> dependencies = ContainerDependencies.Of(config);
        if (dependencies.Count == 0)
        {
            return;
        }

        var pids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string dependency in dependencies)
        {
            if (!Store.Exists(dependency))
            {
                throw SkiffException.NotFound(
                    $"container {config.Id} depends on container {dependency}, which no longer exists",
                    "remove the container and create it again without that container's namespaces");
            }

            try
            {
                Start(dependency, null);
            }
            catch (SkiffException e)
            {
                throw new SkiffException(e.Kind, $"starting some container dependencies: {dependency}: {e.Message}", e.Hint, e);
            }

            ContainerState state = observer.Observe(Store.ReadState(dependency));
            if (!state.Running || state.Pid <= 0)
            {
                throw SkiffException.Conflict(
                    $"cannot start container {config.Id}: its dependency {dependency} is not running (status {state.Status})",
                    $"see 'skiff logs {ContainerIds.Short(dependency)}' for why it stopped");
            }

            pids[dependency] = state.Pid;
        }

        new BundleWriter(Store).WriteJoins(config, id => pids.GetValueOrDefault(id));
    }

    /// <summary>
    /// podman's StoppedByUser: stop, kill -s KILL and rm -f record it before they signal, so the restart policy leaves the
    /// container stopped. Only written for a policy that restarts (nothing else reads it).
    /// </summary>
    private void RecordStoppedByUser(string id, ContainerConfig config)
    {
        if (!RestartPolicy.Restarts(config.RestartPolicy))
        {
            return;
        }

        try
        {
            using (Store.Lock(id))
            {
                ContainerState state = Store.ReadState(id);
                if (!state.StoppedByUser)
                {
                    Store.WriteState(id, state with { StoppedByUser = true });
                }
            }
        }
        catch (Exception e) when ((e is SkiffException or IOException) && !Store.Exists(id))
        {
            // Removed meanwhile: nothing left to restart.
        }
    }

    /// <summary>Sends the stop signal, waits up to <paramref name="timeout"/> seconds, then SIGKILL; returns once the exit is recorded.</summary>
    /// <param name="killing">Told the stop signal's name and the seconds waited when the container outlived them and gets SIGKILL.</param>
    public ContainerState Stop(string id, int? timeout, Action<string, int>? killing = null)
    {
        ContainerConfig config = Store.ReadConfig(id);
        RecordStoppedByUser(id, config);
        ContainerState state = Observe(id);
        if (state.Initialized)
        {
            // Nothing of the user's runs yet: the runtime's init goes at once, and its monitor records the end.
            SendSignal(state, 9);
            WaitForContainer(state, TimeSpan.FromSeconds(30));
            ContainerState ended = WaitForRecord(id);
            WaitForCleanup(id);
            Store.RecordEvent(config, "stop");
            return ended;
        }

        if (!state.Running)
        {
            // Between two runs of a restart policy: returns once its monitor has seen the mark and left it stopped.
            return state.MonitorPid > 0 ? WaitForRecord(id) : state;
        }

        int seconds = timeout ?? config.StopTimeout;
        int stopSignal = Signals.Parse(config.StopSignal);
        bool signalled = SendSignal(state, stopSignal);
        ThawIfPaused(id, state);
        if (signalled && !WaitForContainer(state, TimeSpan.FromSeconds(seconds)))
        {
            if (seconds > 0 && stopSignal != 9)
            {
                killing?.Invoke(Signals.Name(stopSignal), seconds);
            }

            SendSignal(state, 9);
            WaitForContainer(state, TimeSpan.FromSeconds(30));
        }

        ContainerState recorded = WaitForRecord(id);
        WaitForCleanup(id);
        Store.RecordEvent(config, "stop");
        return recorded;
    }

    public void Kill(string id, int signal)
    {
        if (signal == 9)
        {
            // As podman 4.3: only a kill with SIGKILL counts as stopped by the user; a container that ends on another
            // signal is restarted by its policy.
            RecordStoppedByUser(id, Store.ReadConfig(id));
        }

        ContainerState state = Observe(id);
        if (!state.Running)
        {
            throw SkiffException.Conflict($"can only kill running containers. {id} is in state {state.Status}: container state improper");
        }

        // Recorded before the signal, so that it comes before the monitor's "died".
        Store.RecordEvent(Store.ReadConfig(id), "kill");
        SendSignal(state, signal);
    }

    /// <summary>
    /// Blocks until the container is not running and its exit is recorded; returns the final state. A run its restart
    /// policy follows with another is not the end: as podman's, this waits for the run that is not restarted.
    /// </summary>
    public ContainerState Wait(string id)
    {
        while (true)
        {
            ContainerState state = Observe(id);
            if (state.Running || state.Initialized)
            {
                WaitForContainer(state, Timeout.InfiniteTimeSpan);
            }

            // The run that ended may have been followed by another already, and that one may have ended too, its
            // monitor still deciding (kept in the state, see ContainerEnd): the end is final once no monitor is left.
            ContainerState recorded = WaitForRecord(id);
            bool final = recorded.Running
                ? recorded.Pid == state.Pid && recorded.PidStartTime == state.PidStartTime
                : !StateObserver.MonitorAlive(recorded);
            if (final)
            {
                return recorded;
            }
        }
    }

    public void Remove(string id, bool force)
    {
        ContainerState state = Observe(id);
        if (state.Running && !force)
        {
            throw RunningConflict(id);
        }

        // As podman: even -f does not remove a container others join the namespaces of (rm --depend removes them first).
        if (ContainerDependencies.Dependents(Store, id) is { Count: > 0 } dependents)
        {
            throw ContainerDependencies.HasDependents(id, dependents);
        }

        if (force)
        {
            RecordStoppedByUser(id, Store.ReadConfig(id));
            state = Observe(id);
        }

        // A run may follow the one killed here before the lock is taken: a healthcheck's restart action starts the
        // container again whatever the user's stop, with a new monitor. That run goes too (a few rounds at most).
        for (int round = 1; ; round++)
        {
            if (state.Running || state.Initialized)
            {
                SendSignal(state, 9);
                ThawIfPaused(id, state);
                WaitForContainer(state, TimeSpan.FromSeconds(30));
                WaitForMonitor(state);
            }

            DescriptorLock held;
            try
            {
                held = Store.Lock(id);
            }
            catch (SkiffException) when (!Store.Exists(id))
            {
                return; // an --rm container's monitor removed it meanwhile
            }

            using (held)
            {
                if (!Store.Exists(id))
                {
                    return;
                }

                ContainerState now = observer.Observe(Store.ReadState(id));
                if (now.Running || now.Initialized)
                {
                    // Its restart policy (or a healthcheck's restart) started it again since it was looked at.
                    if (!force || round == MaxRemoveRounds)
                    {
                        throw RunningConflict(id);
                    }

                    state = now;
                    continue;
                }

                ContainerConfig config = Store.ReadConfig(id);
                DeleteRuntimeState(id);
                Store.Remove(id);
                Store.RecordEvent(config, "remove");
                return;
            }
        }
    }

    /// <summary>How many runs <c>rm -f</c> kills before it gives up on a container started again each time.</summary>
    private const int MaxRemoveRounds = 5;

    /// <summary>Waits for the monitor of that run to record its end and clean up (not for a monitor of a later run).</summary>
    private static void WaitForMonitor(ContainerState run)
    {
        if (run.MonitorPid <= 0)
        {
            return;
        }

        using SafeFileHandle? monitor = Descriptors.TryOpenPidFd(run.MonitorPid);
        if (monitor is not null && StateObserver.MonitorAlive(run))
        {
            PollSet.WaitReadable(monitor, 60_000);
        }
    }

    private static SkiffException RunningConflict(string id) => SkiffException.Conflict(
        $"cannot remove container {id} as it is running - running or paused containers cannot be removed without force: container state improper",
        "stop it first, or use 'skiff rm -f'");

    private static bool SendSignal(ContainerState state, int signal)
    {
        if (!StateObserver.ContainerAlive(state))
        {
            return false;
        }

        return ChildProcesses.TrySignal(state.Pid, signal);
    }

    /// <summary>A frozen task handles no signal: stop and rm -f thaw a paused container after signalling it (podman's order).</summary>
    private void ThawIfPaused(string id, ContainerState state)
    {
        if (state.Status != ContainerStatus.Paused)
        {
            return;
        }

        if (Store.ReadConfig(id).CgroupPath is { } group)
        {
            Cgroups.CgroupCleanup.TryThaw(group);
        }

        using (Store.Lock(id))
        {
            ContainerState current = Store.ReadState(id);
            if (current.Status == ContainerStatus.Paused)
            {
                Store.WriteState(id, current with { Status = ContainerStatus.Running });
            }
        }
    }

    /// <summary>Waits for the container process to end; false on timeout.</summary>
    private static bool WaitForContainer(ContainerState state, TimeSpan timeout)
    {
        using SafeFileHandle? pidFd = Descriptors.TryOpenPidFd(state.Pid);
        if (pidFd is null || !StateObserver.ContainerAlive(state))
        {
            return true;
        }

        return PollSet.WaitReadable(pidFd, timeout == Timeout.InfiniteTimeSpan ? -1 : (int)timeout.TotalMilliseconds);
    }

    /// <summary>After the container ended: waits for its monitor to record the exit (and clean up), or records it here if the monitor is gone.</summary>
    private ContainerState WaitForRecord(string id)
    {
        ContainerState state = Store.Exists(id) ? Store.ReadState(id) : new ContainerState { Status = ContainerStatus.Exited };
        WaitForMonitor(state);

        // Removed as it ended (--rm): the state read above is the running one, the exit code is in the monitor's event.
        return Store.Exists(id) ? Observe(id) : state with { Status = ContainerStatus.Exited, ExitCode = Store.RemovedExitCode(id) ?? state.ExitCode };
    }

    /// <summary>
    /// The monitor records the exit first (so `run` returns at once) and then, still holding the container's lock,
    /// deletes the runtime state, removes the cgroups and unmounts the root. `stop` returns after that, as docker's
    /// does: whoever looks right after finds the container's resources gone.
    /// </summary>
    private void WaitForCleanup(string id)
    {
        try
        {
            if (Store.Exists(id))
            {
                using (Store.Lock(id))
                {
                }
            }
        }
        catch (Exception e) when (e is IOException or SkiffException)
        {
            // Removed meanwhile (--rm, rm -f): nothing of it is left to wait for.
        }
    }

    private void DeleteRuntimeState(string id)
    {
        ContainerConfig config = Store.ReadConfig(id);
        OciRuntimeCli runtime = OciRuntimes.For(config.Runtime, Store, id, config.SystemdCgroup);
        new RuntimeInvoker(runtime).Run(runtime.Delete(id));
    }

    /// <summary>Exit code as docker reports it for <c>wait</c>.</summary>
    public static string FormatExitCode(ContainerState state) => state.ExitCode.ToString(CultureInfo.InvariantCulture);
}

using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Logs;
using Skiff.Runtime.Process;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// The per-container monitor (conmon's job): creates and starts the container through the OCI runtime,
/// holds its stdio or pty master, writes the log, serves attach clients, records the exit and cleans up.
/// One thread and one poll loop: it must stay small, it lives as long as the container. This class runs the
/// stages in order; each is a type of its own: the runtime (<see cref="IMonitorRuntime"/>), the network
/// (<see cref="NetworkStart"/>), the root (<see cref="RootMounts"/>, <see cref="VolumePreparation"/>), the relay
/// (<see cref="MonitorRelay"/>, <see cref="IdleHandover"/>) and the end (<see cref="ContainerEnd"/>).
/// </summary>
public sealed class ContainerMonitor(ContainerStore store, string id, RuntimeInvoker runtime, TimeProvider clock, IContainerNetwork? network = null)
{
    private readonly List<SafeFileHandle> clients = [];
    private readonly ContainerStdio stdio = new();
    private readonly NetworkStart networkStart = new(network);
    private readonly ReplacedFiles replacedFiles = new();
    private SafeFileHandle? attachListener;
    private ContainerLogWriter? log;
    private MonitorRelay? relay;
    private SafeFileHandle? mountNamespace;
    private IMonitorRuntime? oci;
    private NotifyProxy? notifyProxy;

    /// <summary>The volume store, for copy-up at start and anonymous volumes at --rm cleanup.</summary>
    public Volumes.VolumeStore? Volumes { get; init; }

    /// <summary>
    /// skiff's own runtime, run inside this process, when the container uses it (<see cref="OciRuntimes.BuiltIn"/>);
    /// null drives the runtime through its command line.
    /// </summary>
    public Containers.OciRuntime? BuiltIn { get; init; }

    /// <summary>How long after the container's start the monitor gives back the memory its setup used.</summary>
    public TimeSpan IdleAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>skiff-relay, to hand a container that runs on to; null keeps relaying in this process.</summary>
    public IdleRelayTarget? IdleRelay { get; init; }

    /// <summary>Fills new volumes with the image's content (see <see cref="Volumes.IVolumePopulator"/>).</summary>
    public Volumes.IVolumePopulator? Populator { get; init; }

    /// <summary>
    /// Makes the lifecycle that starts the container again when its restart policy says so (<see cref="ContainerLifecycle.RestartByPolicy"/>);
    /// only called, at the end, for a container that has such a policy. Null never restarts.
    /// </summary>
    public Func<ContainerStore, ContainerLifecycle>? Restarter { get; init; }

    /// <summary>The command that runs one of the container's healthchecks; null schedules none.</summary>
    public Health.HealthCheckCommand? HealthCheck { get; init; }

    /// <summary>The caller's stdio for --log-driver passthrough (<see cref="CallerStdio"/>), null otherwise.</summary>
    public CallerStdio? Passthrough { get => stdio.Passthrough; init => stdio.Passthrough = value; }

    /// <summary>The caller's descriptors for run --preserve-fds (<see cref="PreservedFds"/>), null otherwise.</summary>
    public PreservedFds? Preserved { get => stdio.Preserved; init => stdio.Preserved = value; }

    private IMonitorRuntime Oci => oci ??= BuiltIn is not null
        ? new InProcessRuntime(BuiltIn, store, id, networkStart, stdio)
        : new CommandLineRuntime(runtime, store, id, stdio);

    /// <summary>
    /// <c>skiff init</c>: the runtime creates the container and the monitor reports it initialized, then waits for a
    /// start request on the attach socket (<see cref="InitializedWait"/>) before it starts the process.
    /// </summary>
    public bool InitOnly { get; init; }

    /// <summary>Runs until the container has ended and is cleaned up. <paramref name="sync"/> gets one report.</summary>
    public int Run(SafeFileHandle sync, SafeFileHandle? firstClient)
    {
        if (firstClient is not null)
        {
            clients.Add(firstClient);
        }

        ContainerConfig config;
        (int Pid, SafeFileHandle? PidFd) container;
        try
        {
            Descriptors.BecomeChildSubreaper();
            config = store.ReadConfig(id);
            container = Start(config);
        }
        catch (Exception e)
        {
            // An unexpected failure keeps its whole trace in monitor.log; the user gets one line.
            SkiffException failure = e as SkiffException ?? SkiffException.Internal($"the container monitor failed to start the container: {e.GetType().Name}: {e.Message}", e);
            if (e is not SkiffException)
            {
                Console.Error.WriteLine(e);
            }

            replacedFiles.Delete();
            FailedStart.Record(store, id, failure);
            UnixSockets.Send(sync, MonitorReport.Failure(failure));
            Close();
            return 1;
        }

        if (InitOnly)
        {
            return RunInitialized(sync, config, container.Pid, container.PidFd);
        }

        using (sync)
        {
            if (config.Healthcheck is { Enabled: true })
            {
                // Recorded before the start is reported, so an inspect right after `run -d` shows it.
                new Health.HealthStore(store.Directory).Update(id, static health => health.Started());
            }

            ContainerState state = store.ReadState(id);
            string? oldState = store.WriteStateKeepingOld(id, state with
            {
                Status = ContainerStatus.Running,
                Pid = container.Pid,
                PidStartTime = ProcessStartTime.TryRead(container.Pid) ?? 0,
                MonitorPid = Environment.ProcessId,
                MonitorStartTime = ProcessStartTime.TryRead(Environment.ProcessId) ?? 0,
                StartedAt = clock.GetUtcNow(),
                FinishedAt = null,
                ExitCode = 0,
                Error = null,
            });
            // podman's two steps (the runtime's create, then start) are one here; recorded before the start is
            // reported, so that whoever looks after `run -d` finds them, and before this monitor can record the end.
            store.RecordEvents(config, firstClient is null ? ["init", "start"] : ["init", "start", "attach"]);
            AnnounceStart(config);
            UnixSockets.Send(sync, MonitorReport.Ok());
            if (oldState is not null)
            {
                replacedFiles.Add(oldState);
            }

            replacedFiles.DeleteInBackground();
        }

        ChildExit exit = Relay(config, container.Pid, container.PidFd);
        Finish(config, exit);
        if (MayEndRunningCheck(config))
        {
            relay?.HealthChecks?.EndRunning();
        }

        return 0;
    }

    /// <summary>
    /// The initialized container: reported as such, then started when a client asks (its answer is a
    /// <see cref="AttachFrame.Started"/> frame), or finished when its init ended first.
    /// </summary>
    private int RunInitialized(SafeFileHandle sync, ContainerConfig config, int pid, SafeFileHandle? pidFd)
    {
        using (sync)
        {
            ContainerState state = store.ReadState(id);
            string? oldState = store.WriteStateKeepingOld(id, state with
            {
                Status = ContainerStatus.Initialized,
                Pid = pid,
                PidStartTime = ProcessStartTime.TryRead(pid) ?? 0,
                MonitorPid = Environment.ProcessId,
                MonitorStartTime = ProcessStartTime.TryRead(Environment.ProcessId) ?? 0,
                FinishedAt = null,
                ExitCode = 0,
                Error = null,
            });
            store.RecordEvents(config, ["init"]);
            UnixSockets.Send(sync, MonitorReport.Ok());
            if (oldState is not null)
            {
                replacedFiles.Add(oldState);
            }

            replacedFiles.DeleteInBackground();
        }

        SafeFileHandle? starter = new InitializedWait(attachListener!, clients).Run(pid, pidFd, out ChildExit ended);
        if (starter is null)
        {
            Finish(config, ended);
            return 0;
        }

        try
        {
            StartCreated(config, pid, pidFd);
        }
        catch (SkiffException e)
        {
            FailedStart.Record(store, id, e);
            UnixSockets.Send(starter, [AttachFrame.Started, .. MonitorReport.Failure(e)]);
            Close();
            return 1;
        }

        if (config.Healthcheck is { Enabled: true })
        {
            new Health.HealthStore(store.Directory).Update(id, static health => health.Started());
        }

        // The starting CLI holds the container's lock while it waits for the answer.
        store.WriteState(id, store.ReadState(id) with { Status = ContainerStatus.Running, StartedAt = clock.GetUtcNow() });

        store.RecordEvents(config, ["start"]);
        AnnounceStart(config);
        UnixSockets.Send(starter, [AttachFrame.Started, .. MonitorReport.Ok()]);
        ChildExit exit = Relay(config, pid, pidFd);
        Finish(config, exit);
        if (MayEndRunningCheck(config))
        {
            relay?.HealthChecks?.EndRunning();
        }

        return 0;
    }

    /// <summary>
    /// The end of a container handed over to skiff-relay, which execs skiff again with the exit code and
    /// the attach clients still connected: record the exit and clean up as if this process had relayed.
    /// </summary>
    /// <param name="check">A scheduled healthcheck skiff-relay left running (its child, so now this process's), or 0.</param>
    public int FinishHandedOver(int exitCode, List<SafeFileHandle> attached, int check = 0)
    {
        relay = new MonitorRelay(null, null, null, null, null, null, attached);
        ContainerConfig config = store.ReadConfig(id);
        Finish(config, new ChildExit(exitCode, 0));
        if (MayEndRunningCheck(config))
        {
            HealthCheckSchedule.EndRunning(check, null);
        }

        return 0;
    }

    /// <summary>
    /// Makes a directory of the run root (tmpfs: XDG_RUNTIME_DIR rootless, /run as root), which a user whose
    /// XDG_RUNTIME_DIR does not exist or is not theirs cannot do: said in one line with what to change.
    /// </summary>
    private static void CreateRunDirectory(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // .NET's message is a resource key without the reason: ask the kernel again for the first missing step.
            string missing = path;
            while (Path.GetDirectoryName(missing) is { Length: > 0 } parent && !Directory.Exists(parent))
            {
                missing = parent;
            }

            int errno = Native.Libc.mkdirat(Native.Libc.AT_FDCWD, missing, 0x1c0) == 0 ? 0 : System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            string reason = errno == 0 ? "cannot create it" : Errnos.Describe(errno);
            throw SkiffException.PrerequisiteMissing(
                $"cannot create the run directory {missing}: {reason}",
                "running containers keep their state in the run root (XDG_RUNTIME_DIR/skiff rootless, /run/skiff as root): make XDG_RUNTIME_DIR a directory you own (a login session does; `skiff system check` says what is wrong) or set it to one");
        }
    }

    private (int Pid, SafeFileHandle? PidFd) Start(ContainerConfig config)
    {
        string runDirectory = store.RunDirectory(id);
        CreateRunDirectory(runDirectory);
        CreateRunDirectory(store.SocketDirectory);
        foreach (string stale in new[] { store.AttachSocketPath(id), store.ConsoleSocketPath(id), store.PidFilePath(id), store.MonitorPidFilePath(id), runtime.Cli.LogFile ?? string.Empty })
        {
            if (stale.Length > 0)
            {
                File.Delete(stale);
            }
        }

        if (config.Args.Count == 0)
        {
            throw SkiffException.InvalidArgument("no command or entrypoint specified for the container", "give a command after the image");
        }

        try
        {
            return Start(config, runDirectory);
        }
        catch
        {
            networkStart.DisconnectEarly(config);
            throw;
        }
    }

    private (int Pid, SafeFileHandle? PidFd) Start(ContainerConfig config, string runDirectory)
    {
        if (BuiltIn is not null)
        {
            networkStart.BeginEarly(config);
        }

        string rootfs = config.RootfsPath ?? store.RootfsMountPoint(id);
        RootMounts.Attach(store, config, rootfs, runDirectory);
        // Bound before the runtime mounts its directory into the container.
        notifyProxy = NotifyProxy.Start(store, config);

        using SafeFileHandle nullIn = Descriptors.OpenNull(write: false);
        using SafeFileHandle nullOut = Descriptors.OpenNull(write: true);
        // The built-in runtime's init is spawned as soon as the root is mounted (its mount namespace is a
        // copy of ours): its runtime starts while this process resolves the user and checks the command.
        Oci.Begin(config, nullIn, nullOut);
        try
        {
            PrepareRoot(config, rootfs);
            attachListener = UnixSockets.Listen(store.AttachSocketPath(id), seqPacket: true);
            Descriptors.SetNonBlocking(attachListener);
            log = new ContainerLogWriter(config.LogDriver, store.LogPath(config), clock, LogRotation.Of(config.LogMaxSize, config.LogMaxFiles));
        }
        catch
        {
            Oci.Abort();
            throw;
        }

        int pid = Oci.Create(config, nullIn, nullOut);
        // The container holds the caller's descriptors now; a reader of the caller's output sees its end when the container's.
        stdio.Passthrough?.Dispose();
        stdio.Passthrough = null;
        stdio.Preserved?.Dispose();
        stdio.Preserved = null;
        SafeFileHandle? pidFd = Descriptors.TryOpenPidFd(pid);
        mountNamespace = MountNamespaceHold.TryOpen(config, pid);
        try
        {
            // The namespace exists once the runtime created the container; the process has not run yet,
            // so it starts with its network already connected.
            networkStart.Connect(config, pid);
            if (config.PidFile is not null)
            {
                ContainerPidFile.Write(config.PidFile, pid);
            }
        }
        catch
        {
            StopCreated(config, pid);
            throw;
        }

        if (!InitOnly)
        {
            StartCreated(config, pid, pidFd);
        }

        return (pid, pidFd);
    }

    /// <summary>
    /// The container's process runs: the monitor's pid file (a Type=forking unit's PIDFile, in place before the
    /// starting command returns) and, for --sdnotify, systemd's MAINPID (and READY=1 with conmon).
    /// </summary>
    private void AnnounceStart(ContainerConfig config)
    {
        try
        {
            Core.Files.AtomicFile.Replace(store.MonitorPidFilePath(id), System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"skiff monitor: writing {store.MonitorPidFilePath(id)}: {e.Message}");
        }

        if (config.ConmonPidFile is { } conmonPidFile)
        {
            // podman's --conmon-pidfile: the monitor is skiff's conmon. Kept after the container ends, as podman does.
            try
            {
                ContainerPidFile.Write(conmonPidFile, Environment.ProcessId);
            }
            catch (SkiffException e)
            {
                Console.Error.WriteLine($"skiff monitor: {e.Message}");
            }
        }

        SystemdNotification.Started(config, Environment.ProcessId);
    }

    /// <summary>The runtime's start of the created container; on failure its init is killed and the runtime's state deleted.</summary>
    private void StartCreated(ContainerConfig config, int pid, SafeFileHandle? pidFd)
    {
        if (Oci.Start() is { } failure)
        {
            StopCreated(config, pid);
            throw new SkiffException(ErrorKind.Internal, $"OCI runtime error: {Oci.Name} start: {failure.Trim()}");
        }

        try
        {
            // A failure of a helper still starting fails the start, with the container stopped.
            networkStart.FinishConnecting(pidFd);
        }
        catch
        {
            StopCreated(config, pid);
            throw;
        }
    }

    /// <summary>Checks in the mounted root and what depends on it: the volumes' content and owners, the user, the command.</summary>
    private void PrepareRoot(ContainerConfig config, string rootfs)
    {
        SystemDirectoryCheck.Verify(rootfs);
        (string? passwd, string? group, IReadOnlyList<string> accountCopies) = AccountFiles.Prepare(store.Directory(id), rootfs, config);
        ContainerUser user = UserResolver.Resolve(config.User, config.GroupAdd, passwd, group);
        new VolumePreparation(Volumes, Populator).CopyUp(config, rootfs, user);
        if (new BundleWriter(store).ApplyUser(config, user, accountCopies) is { } oldBundle)
        {
            replacedFiles.Add(oldBundle);
        }

        VolumePreparation.Chown(config, user);
        Secrets.ContainerSecretFiles.Chown(store.Directory(id), config);
        ExecutableCheck.Verify(rootfs, config.Args[0], config.Env, config.WorkingDir);
    }

    /// <summary>A created container whose start failed: its process is killed, the runtime's state and the network go.</summary>
    private void StopCreated(ContainerConfig config, int pid)
    {
        ChildProcesses.TrySignal(pid, 9);
        Oci.Delete();
        networkStart.Disconnect(config);
    }

    /// <summary>The idle phase: relays until the container ends (see <see cref="MonitorRelay"/>).</summary>
    private ChildExit Relay(ContainerConfig config, int pid, SafeFileHandle? pidFd)
    {
        var running = new MonitorRelay(attachListener, stdio.Stdout, stdio.Stderr, stdio.Terminal, stdio.StdinWriter, log, clients)
        {
            HealthChecks = HealthCheck is null ? null : HealthCheckSchedule.For(config.Healthcheck, HealthCheck, Environment.TickCount64),
            // From each start, as conmon's timer: a restarted container has its whole --timeout again.
            Deadline = config.Timeout is > 0 and uint seconds ? Environment.TickCount64 + (seconds * 1000L) : 0,
        };
        relay = running;
        var idle = new IdleHandover(IdleRelay, network, store, id);
        // A notify proxy still waiting for the container's READY=1 lives in this process: no handover then.
        return running.Run(pid, pidFd, IdleAfter, () => idle.GoIdle(config, running, pid, pidFd, handOver: notifyProxy?.Waiting != true));
    }

    /// <summary>
    /// A check still running once the exit is recorded is waited for (then killed) unless it may be taking an on-failure
    /// action: stop and restart wait for this process to end, so waiting for them here would hold both up.
    /// </summary>
    private static bool MayEndRunningCheck(ContainerConfig config) =>
        config.Healthcheck?.OnFailure is null or "" or Health.HealthOnFailure.None;

    private void Finish(ContainerConfig config, ChildExit exit)
    {
        new ContainerEnd(store, id, clock, network, Volumes, Oci).Finish(config, exit, relay, mountNamespace);
        relay?.LingerForClients();
        Close();
        RestartByPolicy(config);
    }

    /// <summary>
    /// After the exit is recorded and everything is cleaned up (and the attach socket deleted, which the next monitor
    /// makes anew): the container's policy may start it again, with a new monitor, as <c>skiff start</c> does. A failed
    /// start is recorded in the state by that monitor; it goes to this monitor's log too.
    /// </summary>
    private void RestartByPolicy(ContainerConfig config)
    {
        if (Restarter is null || !RestartPolicy.Restarts(config.RestartPolicy) || config.AutoRemove)
        {
            return;
        }

        try
        {
            Restarter(store).RestartByPolicy(id);
        }
        catch (Exception e) when (e is SkiffException or IOException)
        {
            Console.Error.WriteLine($"skiff monitor: restarting container {id} (policy {config.RestartPolicy}): {e.Message}");
        }
    }

    private void Close()
    {
        if (notifyProxy is not null)
        {
            notifyProxy.Dispose();
            try
            {
                Directory.Delete(store.NotifyDirectory(id));
            }
            catch (IOException)
            {
            }
        }

        relay?.Close();
        foreach (SafeFileHandle client in clients)
        {
            client.Dispose();
        }

        clients.Clear();
        attachListener?.Dispose();
        stdio.StdinWriter?.Dispose();
        stdio.Preserved?.Dispose();
        log?.Dispose();
        try
        {
            File.Delete(store.AttachSocketPath(id));
        }
        catch (IOException)
        {
        }
    }
}

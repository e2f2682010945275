using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Mounts;
using Skiff.Runtime.Namespaces;
using Skiff.Runtime.Volumes;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Logs;
using Skiff.Runtime.Memory;
using Skiff.Runtime.Process;
using Skiff.Runtime.Terminal;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// The per-container monitor (conmon's job): creates and starts the container through the OCI runtime,
/// holds its stdio or pty master, writes the log, serves attach clients, records the exit and cleans up.
/// One thread and one poll loop: it must stay small, it lives as long as the container.
/// </summary>
public sealed class ContainerMonitor(ContainerStore store, string id, RuntimeInvoker runtime, TimeProvider clock, IContainerNetwork? network = null)
{
    private readonly List<SafeFileHandle> clients = [];
    private SafeFileHandle? attachListener;
    private SafeFileHandle? stdout;
    private SafeFileHandle? stderr;
    private SafeFileHandle? terminal;
    private SafeFileHandle? stdinWriter;
    private ContainerLogWriter? log;
    private Task? connecting;
    private MonitorRelay? relay;
    private string? earlyNetworkNamespace;
    private SafeFileHandle? mountNamespace;
    private readonly List<string> replacedFiles = [];

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
        catch (SkiffException e)
        {
            DeleteReplacedFiles();
            RecordFailedStart(e);
            UnixSockets.Send(sync, MonitorReport.Failure(e));
            Close();
            return 1;
        }

        using (sync)
        {
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
            UnixSockets.Send(sync, MonitorReport.Ok());
            if (oldState is not null)
            {
                replacedFiles.Add(oldState);
            }

            // Not in line: a container that exits at once is reported only once the relay runs.
            new Thread(DeleteReplacedFiles) { IsBackground = true, Name = "free replaced" }.Start();
        }

        ChildExit exit = Relay(config, container.Pid, container.PidFd);
        Finish(config, exit);
        return 0;
    }

    private (int Pid, SafeFileHandle? PidFd) Start(ContainerConfig config)
    {
        string runDirectory = store.RunDirectory(id);
        Directory.CreateDirectory(runDirectory);
        Directory.CreateDirectory(store.SocketDirectory);
        foreach (string stale in new[] { store.AttachSocketPath(id), store.ConsoleSocketPath(id), store.PidFilePath(id), runtime.Cli.LogFile ?? string.Empty })
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
            DisconnectEarlyNetwork(config);
            throw;
        }
    }

    private (int Pid, SafeFileHandle? PidFd) Start(ContainerConfig config, string runDirectory)
    {
        // The helper (pasta needs ~40 ms, more on a busy machine) starts on the container's namespace
        // before anything else, and works while the root is mounted and the init starts.
        earlyNetworkNamespace = BuiltIn is not null ? network?.CreateNamespace(config) : null;
        if (earlyNetworkNamespace is { } netns)
        {
            connecting = OnOwnThread(() => network!.ConnectNamespace(config, netns));
        }

        string rootfs = config.RootfsPath ?? store.RootfsMountPoint(id);
        if (config.RootfsMounts.Count > 0)
        {
            var mounter = new RootfsMounter(new LinuxMountSyscalls());
            if (config.IdMappings is { } idMap && !config.RootfsOwnersShifted)
            {
                // The image's files keep the ids they were unpacked with; the container sees them through its own map.
                using SafeFileHandle userNamespace = new UserNamespaceFactory(new ProcIdMapWriter(), Environment.ProcessPath!).CreateAsync(idMap).GetAwaiter().GetResult();
                new IdmappedRootfs(mounter).Mount(config.RootfsMounts, rootfs, Path.Combine(runDirectory, "idmap"), idMap, userNamespace);
            }
            else
            {
                mounter.Mount(config.RootfsMounts, rootfs, @volatile: config.AutoRemove);
            }
        }

        if (config.IdMappings is { } volumeMap && config.Mounts.Any(IdmappedVolumes.Requested))
        {
            // Before the built-in runtime's init is spawned: its mount namespace is a copy of ours, taken then.
            using SafeFileHandle volumeNamespace = new UserNamespaceFactory(new ProcIdMapWriter(), Environment.ProcessPath!).CreateAsync(volumeMap).GetAwaiter().GetResult();
            IdmappedVolumes.Attach(config, store, volumeNamespace);
        }

        using SafeFileHandle nullIn = Descriptors.OpenNull(write: false);
        using SafeFileHandle nullOut = Descriptors.OpenNull(write: true);
        // The built-in runtime's init is spawned as soon as the root is mounted (its mount namespace is a
        // copy of ours): its runtime starts while this process resolves the user and checks the command.
        (Containers.PendingContainer Container, SafeFileHandle? ConsoleListener)? pending = BuiltIn is not null ? SpawnInProcess(BuiltIn, config, nullIn, nullOut) : null;
        try
        {
            SystemDirectoryCheck.Verify(rootfs);
            CopyUpVolumes(config, rootfs);
            (string? passwd, string? group, IReadOnlyList<string> accountCopies) = AccountFiles.Prepare(store.Directory(id), rootfs, config);
            ContainerUser user = UserResolver.Resolve(config.User, config.GroupAdd, passwd, group);
            if (new BundleWriter(store).ApplyUser(config, user, accountCopies) is { } oldBundle)
            {
                replacedFiles.Add(oldBundle);
            }

            ChownVolumes(config, user);
            ExecutableCheck.Verify(rootfs, config.Args[0], config.Env, config.WorkingDir);

            attachListener = UnixSockets.Listen(store.AttachSocketPath(id), seqPacket: true);
            Descriptors.SetNonBlocking(attachListener);
            log = new ContainerLogWriter(config.LogDriver, store.LogPath(id), clock);
        }
        catch
        {
            if (pending is { } spawned)
            {
                AbortInProcess(BuiltIn!, config, spawned.Container, spawned.ConsoleListener);
            }

            throw;
        }

        int pid = pending is { } created ? CompleteInProcess(BuiltIn!, config, created.Container, created.ConsoleListener) : CreateWithCommandLine(config, nullIn, nullOut);
        SafeFileHandle? pidFd = Descriptors.TryOpenPidFd(pid);
        HoldMountNamespace(config, pid);
        if (network is not null)
        {
            // The namespace exists once the runtime created the container; the process has not run yet,
            // so it starts with its network already connected.
            try
            {
                if (connecting is not null)
                {
                    connecting.GetAwaiter().GetResult();
                }
                else
                {
                    network.Connect(config, pid);
                }
            }
            catch
            {
                ChildProcesses.TrySignal(pid, 9);
                DeleteRuntimeState();
                network.Disconnect(config);
                throw;
            }
        }

        StartRuntime(pid, config);
        FinishConnecting(pid, pidFd, config);

        return (pid, pidFd);
    }

    /// <summary>The old versions of files replaced on the start path: their blocks are freed (and discarded) once the start was reported.</summary>
    private void DeleteReplacedFiles()
    {
        foreach (string replaced in replacedFiles)
        {
            try
            {
                File.Delete(replaced);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A leftover old copy costs only space; on the background thread an exception would end the monitor.
            }
        }

        replacedFiles.Clear();
    }

    /// <summary>
    /// When the last process of a container exits, the kernel tears its mount namespace down in that exit
    /// (umount of every mount, then an RCU grace period) before the parent hears of it. Held here, the
    /// teardown happens when this process lets go, after the exit is reported. Not with volumes: their
    /// removal at --rm expects nothing to hold them mounted. Closed on exec (skiff-relay's handover).
    /// </summary>
    private void HoldMountNamespace(ContainerConfig config, int pid)
    {
        if (config.Mounts.Count > 0)
        {
            return;
        }

        try
        {
            mountNamespace = Descriptors.Open($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/mnt", 0);
        }
        catch (SystemCallException)
        {
            // Already gone, or not ours to open: the exit tears it down as before.
        }
    }

    /// <summary>Creates the container through the runtime's command line (runc, crun); returns the init's pid.</summary>
    private int CreateWithCommandLine(ContainerConfig config, SafeFileHandle nullIn, SafeFileHandle nullOut)
    {
        (SafeFileHandle errorRead, SafeFileHandle errorWrite) = Descriptors.Pipe();
        using (errorRead)
        {
            int createPid;
            SafeFileHandle? consoleListener = null;
            try
            {
                if (config.Tty)
                {
                    consoleListener = UnixSockets.Listen(store.ConsoleSocketPath(id), seqPacket: false);
                    createPid = runtime.Spawn(
                        runtime.Cli.Create(id, store.BundleDirectory(id), store.PidFilePath(id), store.ConsoleSocketPath(id)),
                        nullIn,
                        nullOut,
                        errorWrite);
                    errorWrite.Dispose();
                    terminal = ReceiveTerminal(consoleListener, createPid);
                }
                else
                {
                    (SafeFileHandle outRead, SafeFileHandle outWrite) = Descriptors.Pipe();
                    (SafeFileHandle errRead, SafeFileHandle errWrite) = Descriptors.Pipe();
                    SafeFileHandle stdinRead = nullIn;
                    if (config.OpenStdin)
                    {
                        (stdinRead, stdinWriter) = Descriptors.Pipe();
                    }

                    stdout = outRead;
                    stderr = errRead;
                    errorWrite.Dispose();
                    createPid = runtime.Spawn(runtime.Cli.Create(id, store.BundleDirectory(id), store.PidFilePath(id), null), stdinRead, outWrite, errWrite);
                    outWrite.Dispose();
                    errWrite.Dispose();
                    if (config.OpenStdin)
                    {
                        stdinRead.Dispose();
                    }
                }
            }
            finally
            {
                consoleListener?.Dispose();
                File.Delete(store.ConsoleSocketPath(id));
            }

            ChildExit created = ChildProcesses.Wait(createPid);
            if (created.ShellCode != 0)
            {
                string detail = RuntimeError.TryRead(runtime.Cli.LogFile)
                    ?? DrainText(config.Tty ? errorRead : stderr!)
                    ?? $"exit code {created.ShellCode}";
                runtime.Run(runtime.Cli.Delete(id));
                detail = detail.Trim();
                if (detail.StartsWith("Error: ", StringComparison.Ordinal))
                {
                    detail = detail["Error: ".Length..];
                }

                // skiff's built-in runtime exits 127/126 when execve would fail with ENOENT/EACCES (decided
                // from the errno its init reported), which is docker's contract for the container's exit code.
                ErrorKind kind = config.Runtime == OciRuntimes.BuiltIn
                    ? created.ShellCode switch { 127 => ErrorKind.CommandNotFound, 126 => ErrorKind.CannotExecute, _ => ErrorKind.Internal }
                    : ErrorKind.Internal;
                throw new SkiffException(kind, kind == ErrorKind.Internal ? $"OCI runtime error: {Path.GetFileName(runtime.Cli.Program)}: {detail}" : detail);
            }
        }

        return int.Parse(File.ReadAllText(store.PidFilePath(id)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private Containers.CreateOptions InProcessOptions(ContainerConfig config) => new(id, store.BundleDirectory(id))
    {
        SystemdCgroup = config.SystemdCgroup,
        // The network helper (pasta needs ~40 ms to set up) works while the init builds its root.
        NamespacesReady = network is null || earlyNetworkNamespace is not null || !network.Connects(config) ? null : pid => connecting = OnOwnThread(() => network.Connect(config, pid)),
        NetworkNamespace = earlyNetworkNamespace,
        ConsoleSocket = config.Tty ? store.ConsoleSocketPath(id) : null,
    };

    /// <summary>
    /// Runs a connection step beside the create on a thread of its own: the thread pool would start its
    /// workers and gate thread (and spin them) on the start path for this one item.
    /// </summary>
    private static Task OnOwnThread(Action step) =>
        Task.Factory.StartNew(step, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>
    /// The first half of a create with skiff's own runtime inside this process (the same state as `skiff
    /// oci create` leaves, without starting a runtime process for create, start and delete): the init is
    /// spawned and waits for its spec.
    /// </summary>
    private (Containers.PendingContainer Container, SafeFileHandle? ConsoleListener) SpawnInProcess(Containers.OciRuntime builtIn, ContainerConfig config, SafeFileHandle nullIn, SafeFileHandle nullOut)
    {
        Containers.CreateOptions options = InProcessOptions(config);
        SafeFileHandle? consoleListener = null;
        SafeFileHandle? outWrite = null;
        SafeFileHandle? errWrite = null;
        SafeFileHandle? stdinRead = null;
        try
        {
            if (config.Tty)
            {
                consoleListener = UnixSockets.Listen(store.ConsoleSocketPath(id), seqPacket: false);
                options = options with { Stdio = (nullIn, nullOut, nullOut) };
            }
            else
            {
                (stdout, outWrite) = Descriptors.Pipe();
                (stderr, errWrite) = Descriptors.Pipe();
                if (config.OpenStdin)
                {
                    (stdinRead, stdinWriter) = Descriptors.Pipe();
                }

                options = options with { Stdio = (stdinRead ?? nullIn, outWrite, errWrite) };
            }

            Containers.PendingContainer pending = RuntimeCall(config, () => builtIn.SpawnAsync(options).GetAwaiter().GetResult());
            return (pending, consoleListener);
        }
        catch
        {
            CloseConsoleListener(consoleListener);
            throw;
        }
        finally
        {
            outWrite?.Dispose();
            errWrite?.Dispose();
            stdinRead?.Dispose();
        }
    }

    /// <summary>The second half: sends the init its spec (with the user resolved meanwhile) and waits until it is ready; returns its pid.</summary>
    private int CompleteInProcess(Containers.OciRuntime builtIn, ContainerConfig config, Containers.PendingContainer pending, SafeFileHandle? consoleListener)
    {
        try
        {
            Containers.ContainerRecord record = RuntimeCall(config, () => builtIn.Complete(pending, InProcessOptions(config)));
            if (consoleListener is not null)
            {
                // The init sent the pty master before it reported ready, so the connection is queued.
                terminal = ReceiveTerminal(consoleListener, createPid: 0);
            }

            return record.Pid;
        }
        finally
        {
            CloseConsoleListener(consoleListener);
        }
    }

    private void AbortInProcess(Containers.OciRuntime builtIn, ContainerConfig config, Containers.PendingContainer pending, SafeFileHandle? consoleListener)
    {
        try
        {
            builtIn.Abort(pending);
        }
        catch (Exception e) when (e is SkiffException or IOException or UnauthorizedAccessException)
        {
        }

        CloseConsoleListener(consoleListener);
        DisconnectEarlyNetwork(config);
    }

    /// <summary>Runs a built-in runtime step; a failure undoes the early network connection and reads as the runtime's error.</summary>
    private T RuntimeCall<T>(ContainerConfig config, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (SkiffException e) when (e.Kind is ErrorKind.CommandNotFound or ErrorKind.CannotExecute)
        {
            DisconnectEarlyNetwork(config);
            throw;
        }
        catch (Exception e) when (e is SkiffException or IOException or UnauthorizedAccessException)
        {
            DisconnectEarlyNetwork(config);
            throw new SkiffException((e as SkiffException)?.Kind ?? ErrorKind.Internal, $"OCI runtime error: {OciRuntimes.BuiltIn}: {e.Message}", (e as SkiffException)?.Hint);
        }
    }

    private void CloseConsoleListener(SafeFileHandle? consoleListener)
    {
        if (consoleListener is not null)
        {
            consoleListener.Dispose();
            File.Delete(store.ConsoleSocketPath(id));
        }
    }

    /// <summary>After a failed create: waits for a network connection started early and undoes it.</summary>
    private void DisconnectEarlyNetwork(ContainerConfig config)
    {
        if (connecting is null)
        {
            return;
        }

        try
        {
            connecting.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is SkiffException or IOException)
        {
        }

        connecting = null;
        network!.Disconnect(config);
    }

    private void StartRuntime(int pid, ContainerConfig config)
    {
        string? failure = null;
        if (BuiltIn is not null)
        {
            try
            {
                BuiltIn.Start(id);
            }
            catch (Exception e) when (e is SkiffException or IOException)
            {
                failure = e.Message;
            }
        }
        else
        {
            ChildExit started = runtime.Run(runtime.Cli.Start(id));
            if (started.ShellCode != 0)
            {
                failure = RuntimeError.TryRead(runtime.Cli.LogFile) ?? $"exit code {started.ShellCode}";
            }
        }

        if (failure is not null)
        {
            ChildProcesses.TrySignal(pid, 9);
            DeleteRuntimeState();
            network?.Disconnect(config);
            throw new SkiffException(ErrorKind.Internal, $"OCI runtime error: {RuntimeName} start: {failure.Trim()}");
        }
    }

    /// <summary>
    /// The network helper may still be starting while the container runs (the namespace was configured before);
    /// its failure still fails the start, with the container stopped.
    /// </summary>
    private void FinishConnecting(int pid, SafeFileHandle? pidFd, ContainerConfig config)
    {
        if (network is null)
        {
            return;
        }

        try
        {
            network.FinishConnecting(pidFd);
        }
        catch
        {
            ChildProcesses.TrySignal(pid, 9);
            DeleteRuntimeState();
            network.Disconnect(config);
            throw;
        }
    }

    /// <summary>The runtime's `delete --force`: its state and cgroup go; failures are not the caller's to handle.</summary>
    private void DeleteRuntimeState()
    {
        if (BuiltIn is null)
        {
            runtime.Run(runtime.Cli.Delete(id));
            return;
        }

        try
        {
            BuiltIn.Delete(id, force: true);
        }
        catch (Exception e) when (e is SkiffException or IOException or UnauthorizedAccessException)
        {
            // Already gone (never created, or removed by rm -f meanwhile).
        }
    }

    private string RuntimeName => BuiltIn is not null ? OciRuntimes.BuiltIn : Path.GetFileName(runtime.Cli.Program);

    /// <summary>Accepts the runtime's connection on the console socket and takes the pty master it sends.</summary>
    private static SafeFileHandle ReceiveTerminal(SafeFileHandle listener, int createPid)
    {
        using SafeFileHandle? createPidFd = createPid > 0 ? Descriptors.TryOpenPidFd(createPid) : null;
        var set = new PollSet();
        while (true)
        {
            set.Clear();
            int listening = set.Add(listener);
            int exited = createPidFd is null ? -1 : set.Add(createPidFd);
            set.Wait(-1);
            if (set.Ready(listening))
            {
                using SafeFileHandle? connection = UnixSockets.TryAccept(listener);
                if (connection is not null)
                {
                    return UnixSockets.ReceiveDescriptor(connection);
                }
            }

            if (exited < 0 || set.Ready(exited))
            {
                // The runtime ended without sending a terminal: its exit status tells why.
                return Descriptors.OpenNull(write: false);
            }
        }
    }

    /// <summary>The idle phase: relays until the container ends (see <see cref="MonitorRelay"/>).</summary>
    private ChildExit Relay(ContainerConfig config, int pid, SafeFileHandle? pidFd)
    {
        relay = new MonitorRelay(attachListener, stdout, stderr, terminal, stdinWriter, log, clients);
        return relay.Run(pid, pidFd, IdleAfter, () => GoIdle(config, pid, pidFd));
    }

    /// <summary>
    /// The container has run for <see cref="IdleAfter"/>: what setup needed (code, metadata, heap) is not
    /// needed until it ends. Hand the container over to skiff-relay, a program a fraction of skiff's size,
    /// or, without one, give back what this process can. Short-lived containers end before this and pay nothing.
    /// </summary>
    private void GoIdle(ContainerConfig config, int pid, SafeFileHandle? pidFd)
    {
        if (IdleRelay is { } target && pidFd is not null && network?.HoldsProcessState != true)
        {
            try
            {
                HandOver(target, config, pid, pidFd);
            }
            catch (SystemCallException e)
            {
                Console.Error.WriteLine($"skiff monitor: cannot hand over to {target.Program}: {e.Message}");
            }
        }

        IdleMemory.Trim();
    }

    /// <summary>Replaces this program with skiff-relay; returns only if execve failed.</summary>
    private void HandOver(IdleRelayTarget target, ContainerConfig config, int pid, SafeFileHandle pidFd)
    {
        var kept = new List<SafeFileHandle> { pidFd };
        kept.AddRange(relay!.Clients);
        foreach (SafeFileHandle? handle in new[] { relay.AttachListener, relay.Stdout, relay.Stderr, relay.Terminal, relay.StdinWriter })
        {
            if (handle is not null)
            {
                kept.Add(handle);
            }
        }

        foreach (SafeFileHandle handle in kept)
        {
            Descriptors.KeepAcrossExec(handle);
        }

        foreach (System.Runtime.InteropServices.SafeHandle handle in network?.DescriptorsToKeep ?? [])
        {
            Descriptors.KeepAcrossExec(handle);
        }

        var handover = new RelayHandover(
            target.Root,
            target.RunRoot,
            id,
            pid,
            Number(pidFd),
            Number(relay.AttachListener),
            Number(relay.Stdout),
            Number(relay.Stderr),
            Number(relay.Terminal),
            Number(relay.StdinWriter),
            [.. relay.Clients.Select(client => Number(client))],
            config.LogDriver,
            store.LogPath(id),
            target.Skiff);
        ProcessImage.Replace(target.Program, handover.ToArguments(), ProcessImage.CurrentEnvironment());

        static int Number(SafeFileHandle? handle) => handle is null ? -1 : (int)handle.DangerousGetHandle();
    }

    /// <summary>
    /// The end of a container handed over to skiff-relay, which execs skiff again with the exit code and
    /// the attach clients still connected: record the exit and clean up as if this process had relayed.
    /// </summary>
    public int FinishHandedOver(int exitCode, List<SafeFileHandle> attached)
    {
        relay = new MonitorRelay(null, null, null, null, null, null, attached);
        Finish(store.ReadConfig(id), new ChildExit(exitCode, 0));
        return 0;
    }

    private void Finish(ContainerConfig config, ChildExit exit)
    {
        // Read before the runtime deletes the group: the kernel's OOM counter dies with it.
        bool oomKilled = config.CgroupPath is not null && CgroupCleanup.WasOomKilled(config.CgroupPath);
        // The helper goes before the exit is recorded, so whoever waits for the exit finds it gone; its
        // namespace files go after the exit was reported, before the run directory is purged.
        network?.StopHelpers(config);

        // The exit is recorded (or, with --rm, the record is gone and the name free) and reported to the
        // attached clients first; the slow part of the cleanup (runtime state, cgroups, unmount, file
        // removal) comes after, so `run` returns as soon as the container ended. The container's lock is
        // held until the cleanup is done: a start or rm right after waits for it instead of racing with it.
        DescriptorLock? held = null;
        IDisposable? layersInUse = null;
        bool unlisted = false;
        try
        {
            held = store.Lock(id);
            if (store.Exists(id))
            {
                if (config.AutoRemove)
                {
                    // Keeps a concurrent image removal from deleting the layers still mounted below the root until it is unmounted.
                    layersInUse = HoldLayers();
                    store.Unlist(id);
                    unlisted = true;
                }
                else
                {
                    ContainerState state = store.ReadState(id);
                    store.WriteState(id, state with
                    {
                        Status = ContainerStatus.Exited,
                        ExitCode = exit.ShellCode,
                        FinishedAt = clock.GetUtcNow(),
                        OomKilled = oomKilled,
                        MonitorPid = 0,
                        MonitorStartTime = 0,
                    });
                }
            }
        }
        catch (Exception e) when (e is SkiffException or IOException)
        {
            // Removed underneath us (rm -f): nothing left to record.
        }

        if (unlisted)
        {
            // docker's `run --rm` returns with the anonymous volumes gone (`volume ls` right after must not
            // list them). The container's mount namespace died with it, so nothing holds them mounted.
            try
            {
                IdmappedVolumes.Detach(config, store);
                Volumes?.RemoveAnonymous(config.Mounts);
            }
            catch (Exception e) when (e is SkiffException or IOException)
            {
                // Left for the next prune.
            }
        }

        relay?.BroadcastExit(exit.ShellCode);
        mountNamespace?.Dispose();
        network?.RemoveNamespaceFiles(config);

        try
        {
            DeleteRuntimeState();

            if (unlisted)
            {
                store.Purge(id, config.CgroupPath);
            }
            else
            {
                // The idmapped sources' staging mounts are in the run directory.
                IdmappedVolumes.Detach(config, store);
                if (config.CgroupPath is not null)
                {
                    // The runtime removes the group on delete; a runtime that does not must not leave empty groups behind.
                    CgroupCleanup.TryRemove(config.CgroupPath, config.SystemdCgroup);
                }

                if (config.RootfsMounts.Count > 0)
                {
                    RootfsMounter.TryUnmount(store.RootfsMountPoint(id));
                }
            }
        }
        catch (Exception e) when (e is SkiffException or IOException)
        {
            // What is left is swept by the next removal.
        }
        finally
        {
            layersInUse?.Dispose();
            held?.Dispose();
        }

        relay?.LingerForClients();
        Close();
    }

    /// <summary>A shared hold on the layer store's garbage-collection lock (null when the store has no layers).</summary>
    private IDisposable? HoldLayers()
    {
        string path = Path.Combine(Path.GetDirectoryName(store.ContainersDirectory)!, "layers", ".locks", "gc.lock");
        try
        {
            return File.Exists(path) ? Core.Files.FileLock.Acquire(path, shared: true) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void RecordFailedStart(SkiffException error)
    {
        try
        {
            int code = error.Kind switch
            {
                ErrorKind.CommandNotFound => 127,
                ErrorKind.CannotExecute => 126,
                _ => 125,
            };
            // The starting CLI holds the container lock and removes an --rm container itself.
            ContainerState state = store.ReadState(id);
            store.WriteState(id, state with { Status = ContainerStatus.Created, ExitCode = code, Error = error.Message, MonitorPid = 0, MonitorStartTime = 0 });
        }
        catch (Exception e) when (e is SkiffException or IOException)
        {
        }
    }

    private static string? DrainText(SafeFileHandle? source)
    {
        if (source is null)
        {
            return null;
        }

        Descriptors.SetNonBlocking(source);
        byte[] chunk = new byte[4096];
        int n = Descriptors.Read(source, chunk);
        return n > 0 ? Encoding.UTF8.GetString(chunk, 0, n) : null;
    }

    private void Close()
    {
        relay?.Close();
        foreach (SafeFileHandle client in clients)
        {
            client.Dispose();
        }

        clients.Clear();
        attachListener?.Dispose();
        stdinWriter?.Dispose();
        log?.Dispose();
        try
        {
            File.Delete(store.AttachSocketPath(id));
        }
        catch (IOException)
        {
        }
    }

    /// <summary>podman's :U: volumes and binds marked with it belong to the container's user (its ids outside the container's map).</summary>
    private static void ChownVolumes(ContainerConfig config, ContainerUser user)
    {
        foreach (ContainerMount mount in config.Mounts)
        {
            if (mount.Type is "bind" or "volume" && mount.Options.Contains("U"))
            {
                uint uid = config.IdMappings is { } map ? map.HostUid(user.Uid) ?? throw Unmapped("uid", user.Uid) : user.Uid;
                uint gid = config.IdMappings is { } maps ? maps.HostGid(user.Gid) ?? throw Unmapped("gid", user.Gid) : user.Gid;
                VolumeOwnership.Chown(mount.Source, uid, gid);
            }
        }

        static SkiffException Unmapped(string kind, uint value) =>
            SkiffException.InvalidArgument($"cannot chown a :U volume to {kind} {value}: the container's user namespace does not map it", "run as a user the --uidmap/--gidmap covers");
    }

    /// <summary>
    /// docker's and podman's copy-up: a volume's first container fills it with what the image has at the
    /// mount point, if the volume is still empty. Done here because only now is the root mounted.
    /// </summary>
    private void CopyUpVolumes(ContainerConfig config, string rootfs)
    {
        if (Volumes is null || Populator is null)
        {
            return;
        }

        foreach (ContainerMount mount in config.Mounts)
        {
            if (mount.Type != "volume" || mount.Name is null || Volumes.TryGet(mount.Name) is not { NeedsCopyUp: true })
            {
                continue;
            }

            string data = Volumes.DataPath(mount.Name);
            if (!Directory.EnumerateFileSystemEntries(data).Any() && !mount.Options.Contains("nocopy"))
            {
                Populator.Populate(rootfs, mount.Destination, data);
            }

            Volumes.MarkCopiedUp(mount.Name);
        }
    }
}

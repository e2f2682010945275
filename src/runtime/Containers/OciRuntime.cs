using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Core.Users;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Namespaces;
using Skiff.Runtime.Process;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Containers;

/// <summary>
/// skiff's built-in OCI runtime, driven like crun: create leaves the init waiting on the exec fifo,
/// start releases it, state/kill/delete look at the state root. The caller of create should be a
/// child subreaper (the monitor is) to reap the init.
/// </summary>
public sealed class OciRuntime(ContainerStore store, NamespaceLauncher launcher, string selfExecutable, CurrentUser user)
{
    /// <summary>The hidden verb the init runs as: `skiff oci __init`.</summary>
    public static readonly IReadOnlyList<string> InitArguments = ["oci", "__init"];

    public ContainerStore Store => store;

    public async Task<ContainerRecord> CreateAsync(CreateOptions options, CancellationToken cancellationToken = default)
    {
        PendingContainer pending = await SpawnAsync(options, cancellationToken).ConfigureAwait(false);
        return Complete(pending, options);
    }

    /// <summary>
    /// The first half of create: validates the bundle, creates the state directory and the cgroup, and
    /// spawns the init into its namespaces, where it waits for its spec. The bundle's config may still
    /// change (the process's user) until <see cref="Complete"/>, which reads it again.
    /// </summary>
    public async Task<PendingContainer> SpawnAsync(CreateOptions options, CancellationToken cancellationToken = default)
    {
        ContainerId.Validate(options.Id);
        string bundle = Path.GetFullPath(options.Bundle);
        RuntimeSpec spec = LoadSpec(bundle, options);
        string rootfs = spec.Root!.Path;
        NamespaceRequest request = NamespacePlan.From(spec.Linux!);
        if (NamespacePlan.ForeignBindSource(spec) is { } foreign)
        {
            request = request with { CloneMount = foreign };
        }

        if (options.NetworkNamespace is { } netns && request.Unshare.HasFlag(NamespaceKinds.Network) && !request.Unshare.HasFlag(NamespaceKinds.User))
        {
            request = request with
            {
                Unshare = request.Unshare & ~NamespaceKinds.Network,
                JoinPaths = new Dictionary<NamespaceKinds, string>(request.JoinPaths) { [NamespaceKinds.Network] = netns },
            };
        }

        string directory = store.Create(options.Id);
        // Made while the init is spawned and its runtime starts; it must exist before the init builds the
        // root (it shows the container its own group), which waits for the spec.
        CgroupJoin cgroups = CgroupJoin.Start(
            () => RuntimeCgroup.Prepare(spec, options.Id, user.Rootless || UserNamespaceProbe.InsideNonInitial(), options.SystemdCgroup, user),
            RuntimeCgroup.Wanted(spec, options.SystemdCgroup));
        Socket? console = null;
        NamespacedProcess? init = null;
        try
        {
            console = spec.Process!.Terminal ? await ConnectConsoleAsync(options.ConsoleSocket!, cancellationToken).ConfigureAwait(false) : null;
            init = await SpawnInitAsync(options, directory, request, console, cancellationToken).ConfigureAwait(false);
            options.NamespacesReady?.Invoke(init.Pid);
            // The group is waited for only in Complete: making it can wait for cgroup_mutex (held by any
            // attach waiting for its RCU grace period), and the caller has work to do meanwhile.
            bool joinEarly = RuntimeCgroup.MayJoinDuringSetup(spec);
            cgroups.Release(joinEarly ? init.Pid : 0);
            return new PendingContainer(options.Id, bundle, rootfs, directory, cgroups, console, init)
            {
                JoinEarly = joinEarly,
            };
        }
        catch
        {
            if (init is not null)
            {
                KillInit(init);
                init.Dispose();
            }

            console?.Dispose();
            cgroups.Abandon()?.TryRemove();
            store.Remove(options.Id);
            throw;
        }
    }

    /// <summary>The second half of create: sends the init its spec (read again from the bundle), waits until it is ready, records the container.</summary>
    public ContainerRecord Complete(PendingContainer pending, CreateOptions options)
    {
        try
        {
            RuntimeCgroup? cgroup = pending.Cgroups.Prepared();
            // A systemd scope needs the init's pid; systemd moves the init into it here.
            cgroup?.Attach(pending.Init.Pid);
            RuntimeSpec spec = LoadSpec(pending.Bundle, options);
            cgroup?.PointSpecAt(spec);
            var channel = new InitChannel(pending.Init.Sync);
            channel.SendSpec(spec);
            channel.ReceiveReady();
            if (pending.JoinEarly)
            {
                pending.Cgroups.Wait();
            }

            ContainerRecord record = NewRecord(pending, spec);
            if (cgroup is not null)
            {
                if (!pending.JoinEarly)
                {
                    cgroup.AddProcess(record.Pid);
                }

                record.CgroupPath = cgroup.Group;
            }

            store.Save(record);
            if (options.PidFile is not null)
            {
                string pidFile = Path.GetFullPath(options.PidFile);
                File.WriteAllText(pidFile + ".tmp", record.Pid.ToString(CultureInfo.InvariantCulture));
                File.Move(pidFile + ".tmp", pidFile, overwrite: true);
            }

            pending.Dispose();
            return record;
        }
        catch
        {
            Abort(pending);
            throw;
        }
    }

    /// <summary>Undoes <see cref="SpawnAsync"/>: kills the waiting init, removes its cgroup and state.</summary>
    public void Abort(PendingContainer pending)
    {
        KillInit(pending.Init);
        RuntimeCgroup? cgroup = pending.Cgroups.Abandon();
        pending.Dispose();
        cgroup?.TryRemove();
        store.Remove(pending.Id);
    }

    private RuntimeSpec LoadSpec(string bundle, CreateOptions options)
    {
        RuntimeSpec spec = SpecFile.Load(bundle);
        DefaultUserNamespaceMaps(spec);
        SpecValidator.Validate(spec);
        if (spec.Process!.Terminal && options.ConsoleSocket is null)
        {
            throw SkiffException.InvalidArgument("process.terminal is set: use --console-socket");
        }

        string rootfs = Path.GetFullPath(spec.Root!.Path, bundle);
        if (!Directory.Exists(rootfs))
        {
            throw SkiffException.NotFound($"the root filesystem {rootfs} does not exist");
        }

        spec.Root.Path = rootfs;
        return spec;
    }

    public void Start(string id)
    {
        ContainerRecord record = store.Load(id);
        string status = store.StatusOf(record);
        if (status != "created")
        {
            throw SkiffException.Conflict($"container `{id}` is not in created state (it is {status})");
        }

        ExecFifo.Release(store.FifoOf(id), () => ContainerStore.IsAlive(record), () => ContainerStore.EndOf(record));
        File.Delete(store.FifoOf(id));
    }

    public OciState State(string id)
    {
        ContainerRecord record = store.Load(id);
        string status = store.StatusOf(record);
        return new OciState
        {
            OciVersion = record.OciVersion,
            Id = record.Id,
            Pid = status == "stopped" ? 0 : record.Pid,
            Status = status,
            Bundle = record.Bundle,
            Rootfs = record.Rootfs,
            Created = record.Created,
            Owner = record.Owner,
            Annotations = record.Annotations,
        };
    }

    /// <summary>Signals the init, or with <paramref name="all"/> every process of the container (its pid namespace; the init alone when it shares the host's).</summary>
    public void Kill(string id, int signal, bool all = false)
    {
        ContainerRecord record = store.Load(id);
        if (!ContainerStore.IsAlive(record))
        {
            throw SkiffException.Conflict($"container `{id}` is not running");
        }

        if (all)
        {
            foreach (int pid in ContainerProcesses.List(record.Pid))
            {
                ChildProcesses.TrySignal(pid, signal);
            }

            return;
        }

        if (!ChildProcesses.TrySignal(record.Pid, signal))
        {
            throw SkiffException.Conflict($"container `{id}` is not running");
        }
    }

    /// <summary>Freezes every process of the container through its cgroup's freezer (runc pause).</summary>
    public void Pause(string id) => SetFrozen(id, frozen: true);

    /// <summary>Thaws a paused container (runc resume).</summary>
    public void Resume(string id) => SetFrozen(id, frozen: false);

    private void SetFrozen(string id, bool frozen)
    {
        ContainerRecord record = store.Load(id);
        string status = store.StatusOf(record);
        if (status != (frozen ? "running" : "paused"))
        {
            throw SkiffException.Conflict($"container `{id}` is {status}, not {(frozen ? "running" : "paused")}");
        }

        if (record.CgroupPath is null)
        {
            throw SkiffException.PrerequisiteMissing($"cannot {(frozen ? "pause" : "resume")} container `{id}`: it has no cgroup of its own", "give the bundle a linux.cgroupsPath and run as root");
        }

        ICgroupManager cgroups = CgroupCleanup.Open();
        if (frozen)
        {
            cgroups.Freeze(record.CgroupPath);
        }
        else
        {
            cgroups.Thaw(record.CgroupPath);
        }

        record.Paused = frozen;
        store.Save(record);
    }

    /// <summary>Forgets a container; with <paramref name="force"/> it kills a live one first, and a missing one is no error (as runc).</summary>
    public void Delete(string id, bool force)
    {
        ContainerRecord record;
        try
        {
            record = store.Load(id);
        }
        catch (SkiffException e) when (force && e.Kind == ErrorKind.NotFound)
        {
            store.Remove(id);
            return;
        }

        string status = store.StatusOf(record);
        if (status is "running" or "paused" && !force)
        {
            throw SkiffException.Conflict($"cannot delete container `{id}`: it is {status}", "stop it first, or use --force");
        }

        if (status != "stopped")
        {
            if (record.Paused && record.CgroupPath is not null)
            {
                CgroupCleanup.TryThaw(record.CgroupPath);
            }

            ChildProcesses.TrySignal(record.Pid, 9);
            for (int i = 0; i < 5000 && ContainerStore.IsAlive(record); i++)
            {
                Thread.Sleep(1);
            }
        }

        if (record.CgroupPath is not null)
        {
            // Only systemd's scopes are named *.scope; cgroupfs groups are named by the container id.
            CgroupCleanup.TryRemove(record.CgroupPath, record.CgroupPath.EndsWith(".scope", StringComparison.Ordinal));
        }

        store.Remove(id);
    }

    /// <summary>The hidden verb an exec'd process starts as: `skiff oci __exec`.</summary>
    public static readonly IReadOnlyList<string> ExecArguments = ["oci", "__exec"];

    /// <summary>
    /// Runs a process in a running container, as `runc exec`: the entry stage joins the namespaces of the
    /// container's init, the process gets the container's capabilities, no_new_privs, seccomp filter and
    /// environment with the options on top. Waits for it and returns its shell-style exit code, or 0
    /// once it runs with <see cref="ExecOptions.Detach"/>. The caller should be a child subreaper when
    /// detaching, to reap the process.
    /// </summary>
    public async Task<int> ExecAsync(ExecOptions options, CancellationToken cancellationToken = default)
    {
        ContainerRecord record = store.Load(options.Id);
        if (store.StatusOf(record) != "running")
        {
            throw SkiffException.Conflict($"container `{options.Id}` is not running");
        }

        if (options.Tty && options.ConsoleSocket is null)
        {
            throw SkiffException.InvalidArgument("--tty needs --console-socket");
        }

        RuntimeSpec container = SpecFile.Load(record.Bundle);
        RuntimeSpec spec = ExecSpec(container, options);
        NamespaceKinds join = NamespaceKinds.None;
        foreach (NamespaceSpec ns in container.Linux?.Namespaces ?? [])
        {
            join |= NamespacePlan.KindOf(ns.Type);
        }

        Subreaper.Become();
        using Socket? console = options.Tty ? await ConnectConsoleAsync(options.ConsoleSocket!, cancellationToken).ConfigureAwait(false) : null;
        using var stdin = new SafeFileHandle(0, ownsHandle: false);
        using var stdout = new SafeFileHandle(1, ownsHandle: false);
        using var stderr = new SafeFileHandle(2, ownsHandle: false);
        List<(SafeHandle, int)> descriptors = [(stdin, 0), (stdout, 1), (stderr, 2)];
        for (int fd = 3; fd < 3 + options.PreserveFds; fd++)
        {
            descriptors.Add((new SafeFileHandle(fd, ownsHandle: false), fd));
        }

        // The init's own descriptors move up past the preserved ones (ExecInit reads how far).
        if (console is not null)
        {
            descriptors.Add((console.SafeHandle, ContainerInit.ConsoleSocketFd + options.PreserveFds));
        }

        var environment = new Dictionary<string, string>();
        if (options.PreserveFds > 0)
        {
            environment[ExecInit.PreservedFdsVariable] = options.PreserveFds.ToString(CultureInfo.InvariantCulture);
        }

        var spawn = new SpawnRequest(selfExecutable, ExecArguments, environment) { Descriptors = descriptors };
        var request = new NamespaceRequest(NamespaceKinds.None, record.Pid, join) { SyncFd = ContainerInit.SyncFd + options.PreserveFds };
        using NamespacedProcess process = await launcher.StartAsync(spawn, request, cancellationToken).ConfigureAwait(false);
        var channel = new InitChannel(process.Sync);
        try
        {
            Cgroups.ExecCgroupJoin.Join(record.Pid, process.Pid, user.Rootless || UserNamespaceProbe.InsideNonInitial());
            channel.SendSpec(spec);
            channel.ReceiveReady();
        }
        catch
        {
            ChildProcesses.TrySignal(process.Pid, 9);
            throw;
        }

        if (options.PidFile is not null)
        {
            string pidFile = Path.GetFullPath(options.PidFile);
            File.WriteAllText(pidFile + ".tmp", process.Pid.ToString(CultureInfo.InvariantCulture));
            File.Move(pidFile + ".tmp", pidFile, overwrite: true);
        }

        if (options.Detach)
        {
            return 0;
        }

        using var forwarder = new SignalForwarder(process.Pid);
        ChildExit exit = await ChildProcesses.WaitAsync(process.Pid).ConfigureAwait(false);
        return exit.ShellCode;
    }

    /// <summary>The container's process settings with exec's on top; the root, mounts and namespaces are the container's already.</summary>
    private static RuntimeSpec ExecSpec(RuntimeSpec container, ExecOptions options)
    {
        ProcessSpec parent = options.Process ?? container.Process ?? new ProcessSpec();
        var env = new List<string>(parent.Env);
        foreach (string variable in options.Env)
        {
            string key = variable.Split('=', 2)[0];
            env.RemoveAll(e => e.Split('=', 2)[0] == key);
            env.Add(variable);
        }

        UserSpec user = parent.User;
        if (options.User is { Length: > 0 } text)
        {
            string[] parts = text.Split(':', 2);
            if (!uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out uint uid)
                || (parts.Length == 2 && !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                throw SkiffException.InvalidArgument($"invalid --user `{text}`: give uid[:gid]");
            }

            uint gid = parts.Length == 2 ? uint.Parse(parts[1], CultureInfo.InvariantCulture) : 0;
            user = new UserSpec { Uid = uid, Gid = gid, Umask = parent.User.Umask };
        }

        if (options.AdditionalGids.Count > 0)
        {
            user = new UserSpec { Uid = user.Uid, Gid = user.Gid, Umask = user.Umask, AdditionalGids = [.. user.AdditionalGids ?? [], .. options.AdditionalGids] };
        }

        return new RuntimeSpec
        {
            OciVersion = container.OciVersion,
            Process = new ProcessSpec
            {
                Terminal = options.Tty,
                ConsoleSize = parent.ConsoleSize,
                User = user,
                Args = [.. options.Args],
                Env = env,
                Cwd = options.Cwd ?? parent.Cwd,
                Capabilities = WithAdded(parent.Capabilities, options.Capabilities),
                Rlimits = parent.Rlimits,
                NoNewPrivileges = parent.NoNewPrivileges || options.NoNewPrivileges,
                OomScoreAdj = parent.OomScoreAdj,
            },
            Root = container.Root,
            Linux = new LinuxSpec { Seccomp = container.Linux?.Seccomp },

            // An exec'd process keeps the caller's groups too when the container does (keep-groups).
            Annotations = container.Annotations,
        };
    }

    /// <summary>runc exec's --cap: each capability joins the bounding, effective and permitted sets, and the ambient set when the inheritable set is not empty.</summary>
    private static CapabilitiesSpec? WithAdded(CapabilitiesSpec? capabilities, IReadOnlyList<string> added)
    {
        if (added.Count == 0)
        {
            return capabilities;
        }

        CapabilitiesSpec parent = capabilities ?? new CapabilitiesSpec();
        bool ambient = parent.Inheritable is { Count: > 0 };
        return new CapabilitiesSpec
        {
            Bounding = [.. (parent.Bounding ?? []).Union(added)],
            Effective = [.. (parent.Effective ?? []).Union(added)],
            Permitted = [.. (parent.Permitted ?? []).Union(added)],
            Inheritable = parent.Inheritable,
            Ambient = ambient ? [.. (parent.Ambient ?? []).Union(added)] : parent.Ambient,
        };
    }

    /// <summary>create + start + wait + delete, as `crun run`: returns the shell-style exit code.</summary>
    public async Task<int> RunAsync(CreateOptions options, CancellationToken cancellationToken = default)
    {
        Subreaper.Become();
        ContainerRecord record = await CreateAsync(options, cancellationToken).ConfigureAwait(false);
        try
        {
            Start(options.Id);
            ChildExit exit = await ChildProcesses.WaitAsync(record.Pid).ConfigureAwait(false);
            return exit.ShellCode;
        }
        finally
        {
            Delete(options.Id, force: true);
        }
    }

    /// <summary>As crun: a new user namespace without mappings maps the caller's own uid and gid to 0.</summary>
    private void DefaultUserNamespaceMaps(RuntimeSpec spec)
    {
        if (spec.Linux is not { } linux || !linux.Namespaces.Any(n => n.Type == "user" && n.Path is null))
        {
            return;
        }

        if ((linux.UidMappings?.Count ?? 0) == 0)
        {
            linux.UidMappings = [new IdMappingSpec { ContainerId = 0, HostId = user.Uid, Size = 1 }];
        }

        if ((linux.GidMappings?.Count ?? 0) == 0)
        {
            linux.GidMappings = [new IdMappingSpec { ContainerId = 0, HostId = user.Gid, Size = 1 }];
        }
    }

    private static async Task<Socket> ConnectConsoleAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw SkiffException.Unavailable($"connecting to the console socket {path}: {e.Message}");
        }
    }

    private async Task<NamespacedProcess> SpawnInitAsync(CreateOptions options, string directory, NamespaceRequest request, Socket? console, CancellationToken cancellationToken)
    {
        using SafeFileHandle stateDirectory = DirectoryHandle.Open(directory);
        using var stdin = new SafeFileHandle(0, ownsHandle: false);
        using var stdout = new SafeFileHandle(1, ownsHandle: false);
        using var stderr = new SafeFileHandle(2, ownsHandle: false);
        (SafeHandle In, SafeHandle Out, SafeHandle Err) stdio = options.Stdio ?? (stdin, stdout, stderr);
        int preserved = options.PreservedFds.Count;
        List<(SafeHandle, int)> descriptors = [(stdio.In, 0), (stdio.Out, 1), (stdio.Err, 2)];
        for (int i = 0; i < preserved; i++)
        {
            descriptors.Add((options.PreservedFds[i], 3 + i));
        }

        // The init's own descriptors move up past the preserved ones (ContainerInit reads how far), as exec's do.
        descriptors.Add((stateDirectory, ContainerInit.StateDirectoryFd + preserved));
        if (console is not null)
        {
            descriptors.Add((console.SafeHandle, ContainerInit.ConsoleSocketFd + preserved));
        }

        var environment = new Dictionary<string, string>();
        if (preserved > 0)
        {
            environment[ExecInit.PreservedFdsVariable] = preserved.ToString(CultureInfo.InvariantCulture);
        }

        var spawn = new SpawnRequest(selfExecutable, InitArguments, environment) { Descriptors = descriptors };
        return await launcher.StartAsync(spawn, request with { SyncFd = ContainerInit.SyncFd + preserved }, cancellationToken).ConfigureAwait(false);
    }

    private static void KillInit(NamespacedProcess init)
    {
        ChildProcesses.TrySignal(init.Pid, 9);
        if (init.Pid == init.SpawnedPid)
        {
            ChildProcesses.Wait(init.Pid);
        }
    }

    private ContainerRecord NewRecord(PendingContainer pending, RuntimeSpec spec)
    {
        ProcessStat stat = ProcessStat.TryRead(pending.Pid) ?? throw SkiffException.Internal($"the container's init {pending.Pid} vanished after setup");
        return new ContainerRecord
        {
            Id = pending.Id,
            Pid = pending.Pid,
            StartTime = stat.StartTime,
            Bundle = pending.Bundle,
            Rootfs = pending.Rootfs,
            Created = DateTime.UtcNow,
            Owner = user.Uid,
            Annotations = spec.Annotations,
        };
    }
}

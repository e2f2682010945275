using System.Globalization;
using Skiff.Core.Errors;
using Skiff.Runtime.Namespaces;
using Skiff.Runtime.Process;
using Skiff.Runtime.Seccomp;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// Writes the OCI bundle (config.json) for a container: podman's defaults (capabilities, masked and
/// read-only paths, namespaces, /dev, /proc, /sys) plus the container's own settings.
/// </summary>
public sealed class BundleWriter(ContainerStore store)
{
    /// <summary>
    /// The environment the container's process starts with (before HOME, which comes from the image's
    /// /etc/passwd at start): the image's and the user's variables plus PATH, TERM with a tty and HOSTNAME,
    /// as podman gives them, and podman's <c>container=podman</c> unless the image or the user set <c>container</c>;
    /// inspect shows the same list.
    /// </summary>
    public static List<string> ProcessEnvironment(ContainerConfig config, string hostname)
    {
        var env = new List<string>(config.Env);
        if (!env.Any(e => e.StartsWith("PATH=", StringComparison.Ordinal)) && !Unset(config, "PATH"))
        {
            env.Insert(0, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        }

        if (config.Tty && !env.Any(e => e.StartsWith("TERM=", StringComparison.Ordinal)) && !Unset(config, "TERM"))
        {
            env.Add("TERM=xterm");
        }

        if (!env.Any(e => e.StartsWith("HOSTNAME=", StringComparison.Ordinal)))
        {
            env.Add("HOSTNAME=" + hostname);
        }

        if (!env.Any(e => e.StartsWith("container=", StringComparison.Ordinal)) && !Unset(config, "container"))
        {
            env.Add(ContainerEnvFile.Variable);
        }

        return env;
    }

    /// <summary>
    /// The process environment in systemd mode: podman adds <c>container_uuid</c> to the spec alone (inspect's Env
    /// does not show it), unless the image or the user set it.
    /// </summary>
    private static List<string> SystemdEnvironment(ContainerConfig config, string hostname)
    {
        List<string> env = ProcessEnvironment(config, hostname);
        if (!env.Any(e => e.StartsWith("container_uuid=", StringComparison.Ordinal)))
        {
            env.Add(SystemdMode.ContainerUuid(config.Id));
        }

        return env;
    }

    /// <summary>The host name the container sees (and /etc/hostname holds): the host's with --uts host.</summary>
    public static string HostnameOf(ContainerConfig config) =>
        config.Hostname.Length > 0 ? config.Hostname
        : NamespaceMode.Parse(config.UtsMode).Kind == NamespaceModeKind.Host ? Environment.MachineName
        : ContainerIds.Short(config.Id);

    /// <summary>Whether podman's --unsetenv or --unsetenv-all takes the default variable <paramref name="name"/> away.</summary>
    private static bool Unset(ContainerConfig config, string name) => config.UnsetEnvAll || config.UnsetEnv.Contains(name);

    /// <summary>The umask the container's process gets: --umask, else podman's default 0022.</summary>
    public const uint DefaultUmask = 0x12;

    /// <param name="engine">The engine and its version, for <c>/run/.containerenv</c> (podman's "podman-4.3.1").</param>
    public void Write(ContainerConfig config, bool rootless, Terminal.TerminalSize? consoleSize = null, string engine = "skiff")
    {
        string directory = store.Directory(config.Id);
        string hostname = HostnameOf(config);
        File.WriteAllText(Path.Combine(directory, "hostname"), hostname + "\n");
        // Defaults for the bind-mount sources; the engine writes the network's own hosts and resolv.conf first.
        WriteIfMissing(Path.Combine(directory, "hosts"), $"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t{hostname}\n");
        WriteIfMissing(Path.Combine(directory, "resolv.conf"), ResolvConf(config.NetworkMode));
        ContainerEnvFile.Write(directory, config, rootless, engine);

        // Through RuntimeSpec and the hand-written SpecJsonWriter, not JsonNode: on every container's start, and
        // JsonNode's values build System.Text.Json's metadata by reflection in the CLI.
        // Streamed into the file (as File.WriteAllBytes opens it) instead of built in memory first.
        RuntimeSpec spec = Spec(config, rootless, consoleSize, directory, hostname);
        if (config.Secrets.Any(s => !s.IsMount) && OperatingSystem.IsLinux())
        {
            // The process's environment holds the env secrets' values: the bundle is the owner's alone, whatever rewrites config.json.
            File.SetUnixFileMode(store.BundleDirectory(config.Id), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        using var file = new FileStream(Path.Combine(store.BundleDirectory(config.Id), "config.json"), FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        SpecJsonWriter.Write(spec, file, indented: true);
    }

    private RuntimeSpec Spec(ContainerConfig config, bool rootless, Terminal.TerminalSize? consoleSize, string directory, string hostname)
    {
        // Names are looked up in the image's files once its root is mounted (ApplyUser, by the monitor).
        ContainerUser user = UserResolver.NeedsLookup(config.User, config.GroupAdd)
            ? new ContainerUser(0, 0, [], "/")
            : UserResolver.Resolve(config.User, config.GroupAdd, null, null);
        SecurityProfile security = SecurityProfile.For(config.Privileged, config.CapAdd, config.CapDrop, SecurityOptions.Parse(config.SecurityOpt), user.Uid, HostCapabilities.Bounding());
        var rlimits = new List<RlimitSpec>(config.Ulimits.Count + 2);
        foreach (string ulimit in config.Ulimits)
        {
            if (ulimit != HostUlimits)
            {
                rlimits.Add(Rlimit(ulimit));
            }
        }

        // podman's `--ulimit host`: the container keeps the caller's limits; otherwise podman's defaults for the rest.
        if (!config.Ulimits.Contains(HostUlimits))
        {
            rlimits.AddRange(DefaultRlimits.Missing(rlimits));
        }

        var process = new ProcessSpec
        {
            Terminal = config.Tty,
            ConsoleSize = config.Tty && consoleSize is Terminal.TerminalSize size ? new ConsoleSizeSpec { Height = size.Rows, Width = size.Columns } : null,
            User = new UserSpec { Uid = user.Uid, Gid = user.Gid, Umask = config.Umask ?? DefaultUmask, AdditionalGids = [.. user.AdditionalGids] },
            Args = config.Init ? [ContainerInitBinary.MountPoint, "--", .. config.Args] : [.. config.Args],
            Env = config.Systemd ? SystemdEnvironment(config, hostname) : ProcessEnvironment(config, hostname),
            Cwd = config.WorkingDir.Length > 0 ? config.WorkingDir : "/",
            Capabilities = new CapabilitiesSpec
            {
                Bounding = [.. security.Bounding],
                Effective = [.. security.Effective],
                Permitted = [.. security.Permitted],
                Inheritable = [.. security.Inheritable],
                Ambient = [.. security.Ambient],
            },
            Rlimits = rlimits,
            NoNewPrivileges = security.NoNewPrivileges,
            OomScoreAdj = config.OomScoreAdj,
        };

        // With a user namespace of its own, the container's tty group must be mapped for devpts' gid=5.
        Core.IdMaps.IdMap? idMap = config.IdMappings;
        bool ttyGroup = !rootless && (idMap is null || idMap.HostGid(5) is not null);
        string networkFiles = NetworkFilesDirectory(config) ?? directory;
        List<SpecMount> mounts =
        [
            Mount("/proc", "proc", "proc", ["nosuid", "noexec", "nodev"]),
            Mount("/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            Mount("/dev/pts", "devpts", "devpts", ttyGroup
                ? ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]
                : ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]),
            Mount("/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]),
            config.NetworkMode == "host" && (rootless || idMap is not null)
                ? Mount("/sys", "bind", "/sys", ["rbind", "nosuid", "noexec", "nodev", "ro"])
                : Mount("/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", security.Privileged ? "rw" : "ro"]),
            Mount("/etc/hostname", "bind", Path.Combine(directory, "hostname"), ["bind", "rprivate"]),
            // With another container's network, that container's files, as podman shares them.
            Mount("/etc/hosts", "bind", Path.Combine(networkFiles, "hosts"), ["bind", "rprivate"]),
            Mount("/etc/resolv.conf", "bind", Path.Combine(networkFiles, "resolv.conf"), ["bind", "rprivate"]),
        ];
        if (config.NoHosts)
        {
            // podman's --no-hosts: the image's own /etc/hosts stays.
            mounts.RemoveAll(m => m.Destination == "/etc/hosts");
        }

        Func<string, int> pidOf = DependencyPids();
        NamespaceMode ipc = NamespaceMode.Parse(config.IpcMode, ipc: true);
        if (ShmMount(ipc, pidOf, config.ShmSize) is { } shm)
        {
            mounts.Insert(3, shm);
        }

        if (ipc.Kind == NamespaceModeKind.Host && (rootless || idMap is not null))
        {
            // mqueue can only be mounted for an ipc namespace of our own user namespace: the host's is bound instead,
            // when it has one (this machine has none).
            mounts.RemoveAll(m => m.Destination == "/dev/mqueue");
            if (Directory.Exists("/dev/mqueue"))
            {
                mounts.Add(Mount("/dev/mqueue", "bind", "/dev/mqueue", ["rbind", "nosuid", "noexec", "nodev"]));
            }
        }

        if (config.Timezone is not null)
        {
            mounts.Add(Mount("/etc/localtime", "bind", ContainerTimezone.HostFile(config.Timezone), ["bind", "ro", "rprivate"]));
        }

        if (config.Init && config.InitPath is not null)
        {
            mounts.Add(Mount(ContainerInitBinary.MountPoint, "bind", config.InitPath, ["bind", "ro", "nodev", "nosuid"]));
        }

        if (config.Systemd)
        {
            // Before the user's mounts, so that a volume on /run/NAME is not hidden by the tmpfs on /run.
            mounts.AddRange(SystemdMounts.Tmpfs(config.Mounts.Select(m => m.Destination)));
        }

        for (int index = 0; index < config.Mounts.Count; index++)
        {
            mounts.Add(Mount(config, config.Mounts[index], index));
        }

        // After the user's mounts, so that a tmpfs or volume on /run does not hide them.
        foreach ((string destination, string source) in Secrets.ContainerSecretFiles.Mounts(directory, config.Secrets))
        {
            mounts.Add(Mount(destination, "bind", source, ["bind", "rprivate", "ro", "nosuid", "nodev", "noexec"]));
        }

        // After the user's mounts, so that a tmpfs on /run does not hide it; a mount of the user's own there wins (podman).
        if (!config.Mounts.Any(m => m.Destination.TrimEnd('/') == ContainerEnvFile.Destination))
        {
            mounts.Add(Mount(ContainerEnvFile.Destination, "bind", Path.Combine(directory, ContainerEnvFile.FileName), ["bind", "rprivate"]));
        }

        if (Monitor.NotifyProxy.Wanted(config))
        {
            // --sdnotify=container: the monitor's notify socket, in the directory it binds it in on each start.
            mounts.Add(Mount(Monitor.NotifyProxy.Destination, "bind", store.NotifyDirectory(config.Id), ["bind", "rprivate"]));
            process.Env.RemoveAll(e => e.StartsWith(SdNotifyModes.SocketVariable + "=", StringComparison.Ordinal));
            process.Env.Add(SdNotifyModes.SocketVariable + "=" + Monitor.NotifyProxy.ContainerSocket);
        }

        foreach (string variable in Secrets.ContainerSecretFiles.Environment(directory, config.Secrets))
        {
            // A secret's variable wins over one of the same name from the image or -e.
            string prefix = variable[..(variable.IndexOf('=') + 1)];
            process.Env.RemoveAll(e => e.StartsWith(prefix, StringComparison.Ordinal));
            process.Env.Add(variable);
        }

        List<NamespaceSpec> namespaces = Namespaces(config, pidOf);
        bool joinsUser = UserNamespaceJoin(config.UsernsMode).Kind != NamespaceModeKind.Default;
        bool inUserNamespace = rootless || idMap is not null || joinsUser;
        // The host's /dev is walked only for --privileged (a hundred-odd stat calls), as podman does.
        IReadOnlyList<ContainerDevice> hostDevices = config.Privileged ? HostDeviceWalk.Under("/dev") : [];
        mounts.AddRange(ContainerDeviceSpecs.Binds(config, inUserNamespace, hostDevices, [.. mounts.Select(m => m.Destination)]));

        var linux = new LinuxSpec
        {
            Namespaces = namespaces,
            MaskedPaths = [.. security.MaskedPaths],
            ReadonlyPaths = [.. security.ReadonlyPaths],
            // A joined user namespace has its maps already.
            UidMappings = idMap is null || joinsUser ? null : IdMappings(idMap.Uids),
            GidMappings = idMap is null || joinsUser ? null : IdMappings(idMap.Gids),
            Seccomp = security.Seccomp,
            Resources = config.Resources.IsEmpty ? null : OciResources.ToSpec(config.Resources),
            Devices = ContainerDeviceSpecs.Nodes(config, inUserNamespace, hostDevices),
            Personality = config.Personality is { } domain ? new PersonalitySpec { Domain = domain } : null,
        };
        if (config.CgroupPath is not null && !rootless)
        {
            linux.Resources ??= new ResourcesSpec();
            linux.Resources.Devices = ContainerDeviceSpecs.CgroupRules(config);
        }

        if (config.CgroupPath is not null)
        {
            // With systemd the runtime (--systemd-cgroup) asks systemd for the scope SLICE:skiff:ID, as podman's
            // "machine.slice:libpod:ID"; the slice is the directory the planned group sits in.
            linux.CgroupsPath = config.SystemdCgroup
                ? Cgroups.Systemd.SystemdCgroupsPath.ForContainer(Path.GetFileName(Path.GetDirectoryName(config.CgroupPath)!), config.Id).ToString()
                : "/" + config.CgroupPath;
        }

        // As docker and podman: the container sees its own groups read-only (without one, rootless, the ones it inherited).
        mounts.Add(Mount("/sys/fs/cgroup", "cgroup", "cgroup", ["nosuid", "noexec", "nodev", "relatime", "ro"]));

        if (config.Systemd)
        {
            // The layout is read only here: a container not in systemd mode pays nothing for it.
            linux.MaskedPaths ??= [];
            SystemdMounts.ApplyCgroup(mounts, linux.MaskedPaths, Cgroups.CgroupLayoutDetector.Detect(), config.CgroupNamespace);
        }

        if (config.CgroupNamespace)
        {
            namespaces.Add(new NamespaceSpec { Type = "cgroup" });
        }

        IReadOnlyDictionary<string, string> sysctls = ContainerSysctls.ForBundle(config);
        if (sysctls.Count > 0)
        {
            linux.Sysctl = new Dictionary<string, string>(sysctls, StringComparer.Ordinal);
        }

        Dictionary<string, string>? annotations = null;
        if (config.Labels.Count > 0 || config.Annotations.Count > 0 || KeepGroups.Requested(config.GroupAdd))
        {
            annotations = new Dictionary<string, string>(config.Labels, StringComparer.Ordinal);
            foreach ((string key, string value) in config.Annotations)
            {
                annotations[key] = value;
            }

            if (KeepGroups.Requested(config.GroupAdd))
            {
                annotations[KeepGroups.Annotation] = "1";
            }
        }

        return new RuntimeSpec
        {
            OciVersion = "1.0.2",
            Process = process,
            Root = new RootSpec { Path = config.RootfsPath ?? store.RootfsMountPoint(config.Id), Readonly = config.ReadOnlyRootfs },
            // A joined or the host's uts namespace keeps its name: setting it would rename the other container or the host.
            Hostname = NamespaceMode.Parse(config.UtsMode).Own ? hostname : null,
            Mounts = mounts,
            Linux = linux,
            Annotations = annotations,
        };
    }

    private SpecMount Mount(ContainerConfig config, ContainerMount mount, int index)
    {
        // The monitor attaches the idmapped clone of the source there before the runtime starts.
        if (IdmappedVolumes.Requested(mount))
        {
            List<string> options = mount.Type == "volume" ? ["rbind", "nosuid", "nodev"] : ["rbind"];
            AddOptions(options, mount.Options, static o => o is not ("nocopy" or "U" or IdmappedVolumes.Option));
            return Mount(mount.Destination, "bind", IdmappedVolumes.StagingPath(store, config.Id, index), options);
        }

        switch (mount.Type)
        {
            case "tmpfs":
            {
                // The CLI completes the options as podman does (nosuid and nodev unless suid/dev, tmpcopyup unless
                // notmpcopyup); a container made before that has them added here. notmpcopyup is no runtime's option.
                List<string> options = [];
                if (!mount.Options.Any(o => o is "suid" or "nosuid"))
                {
                    options.Add("nosuid");
                }

                if (!mount.Options.Any(o => o is "dev" or "nodev"))
                {
                    options.Add("nodev");
                }

                AddOptions(options, mount.Options, static o => o != "notmpcopyup");
                return Mount(mount.Destination, "tmpfs", "tmpfs", options);
            }
            case "volume":
            {
                // A volume is its _data directory bound in (podman's options); nocopy and U are ours, not the kernel's.
                List<string> options = ["rbind", "nosuid", "nodev"];
                AddOptions(options, mount.Options, static o => o is not ("nocopy" or "U"));
                return Mount(mount.Destination, "bind", mount.Source, options);
            }

            default:
            {
                List<string> options = ["rbind"];
                AddOptions(options, mount.Options, static o => o != "U");
                return Mount(mount.Destination, "bind", mount.Source, options);
            }
        }
    }

    private static void AddOptions(List<string> options, IReadOnlyList<string> from, Func<string, bool> keep)
    {
        foreach (string option in from)
        {
            if (keep(option))
            {
                options.Add(option);
            }
        }
    }

    /// <summary>
    /// The namespaces the container creates or joins, in the order the bundle lists them (cgroup is added after).
    /// A container's namespace is its process's /proc/PID/ns file (<paramref name="pidOf"/>: 0 when it is not
    /// running, the entry then has no path; the start path writes them again, <see cref="WriteJoins"/>).
    /// </summary>
    public static List<NamespaceSpec> Namespaces(ContainerConfig config, Func<string, int> pidOf)
    {
        var namespaces = new List<NamespaceSpec>(6);
        Add(namespaces, "pid", "pid", NamespaceMode.Parse(config.PidMode), pidOf);
        Add(namespaces, "ipc", "ipc", NamespaceMode.Parse(config.IpcMode, ipc: true), pidOf);
        Add(namespaces, "uts", "uts", NamespaceMode.Parse(config.UtsMode), pidOf);
        namespaces.Add(new NamespaceSpec { Type = "mount" });
        Add(namespaces, "network", "net", NetworkNamespaceMode(config.NetworkMode), pidOf);
        NamespaceMode user = UserNamespaceJoin(config.UsernsMode);
        if (user.Kind == NamespaceModeKind.Path || (user.Kind == NamespaceModeKind.Container && config.IdMappings is not null))
        {
            // Joined with the other container's maps recorded (a container without a user namespace of its own is in the
            // caller's: there is nothing to join then).
            Add(namespaces, "user", "user", user, pidOf);
        }
        else if (config.IdMappings is not null)
        {
            namespaces.Add(new NamespaceSpec { Type = "user" });
        }

        return namespaces;
    }

    /// <summary>
    /// The directory of the container whose /etc/hosts and /etc/resolv.conf this one shares (it joins its network,
    /// through a chain of such joins), or null.
    /// </summary>
    private string? NetworkFilesDirectory(ContainerConfig config)
    {
        string? shared = null;
        string? mode = config.NetworkMode;
        for (int depth = 0; depth < 16 && ContainerDependencies.ContainerOf(mode) is { } id && store.Exists(id); depth++)
        {
            shared = id;
            mode = store.ReadConfig(id).NetworkMode;
        }

        return shared is null ? null : store.Directory(shared);
    }

    /// <summary>The network's namespace as a <see cref="NamespaceMode"/>: host, container:ID, ns:PATH, else one of its own.</summary>
    public static NamespaceMode NetworkNamespaceMode(string? networkMode) =>
        networkMode is null ? NamespaceMode.Default
        : networkMode == "host" ? new NamespaceMode(NamespaceModeKind.Host)
        : networkMode.StartsWith("container:", StringComparison.Ordinal) || networkMode.StartsWith("ns:", StringComparison.Ordinal) ? NamespaceMode.Parse(networkMode)
        : NamespaceMode.Default;

    /// <summary>--userns container:ID or ns:PATH as a <see cref="NamespaceMode"/>; the other values (own maps or none) as the default.</summary>
    public static NamespaceMode UserNamespaceJoin(string? usernsMode) =>
        usernsMode is not null && (usernsMode.StartsWith("container:", StringComparison.Ordinal) || usernsMode.StartsWith("ns:", StringComparison.Ordinal))
            ? NamespaceMode.Parse(usernsMode)
            : NamespaceMode.Default;

    private static void Add(List<NamespaceSpec> namespaces, string type, string procName, NamespaceMode mode, Func<string, int> pidOf)
    {
        switch (mode.Kind)
        {
            case NamespaceModeKind.Host:
                return;
            case NamespaceModeKind.Path:
                namespaces.Add(new NamespaceSpec { Type = type, Path = mode.Value });
                return;
            case NamespaceModeKind.Container:
                int pid = pidOf(mode.Value!);
                namespaces.Add(new NamespaceSpec { Type = type, Path = pid > 0 ? ContainerDependencies.NamespacePath(pid, procName) : null });
                return;
            default:
                namespaces.Add(new NamespaceSpec { Type = type });
                return;
        }
    }

    /// <summary>
    /// /dev/shm for the ipc mode: a tmpfs of its own, none with --ipc none, the host's with --ipc host, and with
    /// --ipc container:ID the one that container's process sees (through /proc/PID/root, so a chain of joins and a
    /// donor on the host's /dev/shm share too).
    /// </summary>
    public static SpecMount? ShmMount(NamespaceMode ipc, Func<string, int> pidOf, long? size = null) => ipc.Kind switch
    {
        NamespaceModeKind.None => null,
        NamespaceModeKind.Host => Mount("/dev/shm", "bind", "/dev/shm", ["rbind", "nosuid", "noexec", "nodev"]),
        NamespaceModeKind.Container when pidOf(ipc.Value!) is int pid and > 0 =>
            Mount("/dev/shm", "bind", string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/root/dev/shm"), ["rbind", "nosuid", "noexec", "nodev"]),
        _ => Mount("/dev/shm", "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", ShmSizeOption(size)]),
    };

    /// <summary>The recorded pid of each running dependency (read once per id), 0 for one not running.</summary>
    private Func<string, int> DependencyPids()
    {
        var pids = new Dictionary<string, int>(StringComparer.Ordinal);
        return id =>
        {
            if (!pids.TryGetValue(id, out int pid))
            {
                pid = store.Exists(id) && store.ReadState(id) is { Running: true } state ? state.Pid : 0;
                pids[id] = pid;
            }

            return pid;
        };
    }

    /// <summary>
    /// Points the bundle's joined namespaces (and a shared /dev/shm) at the dependencies' processes as they run now:
    /// run on every start of a container that joins another's, once its dependencies run.
    /// </summary>
    public void WriteJoins(ContainerConfig config, Func<string, int> pidOf)
    {
        string path = Path.Combine(store.BundleDirectory(config.Id), "config.json");
        RuntimeSpec spec = SpecJsonReader.Read(File.ReadAllBytes(path))
            ?? throw SkiffException.Internal($"the bundle of container {config.Id} is empty");
        LinuxSpec linux = spec.Linux ?? throw SkiffException.Internal($"the bundle of container {config.Id} has no linux section");
        List<NamespaceSpec> namespaces = Namespaces(config, pidOf);
        bool joinsUser = UserNamespaceJoin(config.UsernsMode).Kind != NamespaceModeKind.Default;
        namespaces.AddRange(linux.Namespaces.Where(n => n.Type == "cgroup"));
        linux.Namespaces = namespaces;
        int shm = spec.Mounts.FindIndex(m => m.Destination == "/dev/shm");
        if (shm >= 0 && ShmMount(NamespaceMode.Parse(config.IpcMode, ipc: true), pidOf, config.ShmSize) is { } mount)
        {
            spec.Mounts[shm] = mount;
        }

        File.WriteAllBytes(path + ".tmp", SpecJsonWriter.Write(spec, indented: true));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Rewrites linux.resources of an existing bundle (skiff update), leaving the rest as created.</summary>
    public void WriteResources(ContainerConfig config)
    {
        string path = Path.Combine(store.BundleDirectory(config.Id), "config.json");
        RuntimeSpec spec = SpecJsonReader.Read(File.ReadAllBytes(path))
            ?? throw SkiffException.Internal($"the bundle of container {config.Id} is empty");
        if (spec.Linux is { } linux)
        {
            // The device rules are not limits update changes: they stay as created.
            List<DeviceCgroupSpec>? devices = linux.Resources?.Devices;
            linux.Resources = OciResources.ToSpec(config.Resources);
            linux.Resources.Devices = devices;
        }

        File.WriteAllBytes(path + ".tmp", SpecJsonWriter.Write(spec, indented: true));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>
    /// Puts the resolved user into the bundle's process (uid, gid, supplementary groups) and HOME from
    /// the image's passwd when neither the image nor the user set it, as podman does, and bind-mounts the
    /// account file copies <see cref="AccountFiles.Prepare"/> wrote (<paramref name="accountCopies"/>).
    /// </summary>
    /// <returns>The old config.json's second name, to delete off the start path (see <see cref="Core.Files.AtomicFile.ReplaceKeepingOld"/>).</returns>
    public string? ApplyUser(ContainerConfig config, ContainerUser user, IReadOnlyList<string>? accountCopies = null)
    {
        // Through the hand-written spec reader and writer, not JsonNode: on the start path, and JsonNode's values
        // build System.Text.Json's metadata (reflection) in the monitor. RuntimeSpec models every member Write puts in.
        string path = Path.Combine(store.BundleDirectory(config.Id), "config.json");
        RuntimeSpec spec = SpecJsonReader.Read(File.ReadAllBytes(path)) ?? throw SkiffException.Internal($"{path} is empty");
        if (accountCopies is { Count: > 0 })
        {
            // The copies of /etc/passwd and /etc/group with the user's entries (AccountFiles), once per bundle.
            string directory = store.Directory(config.Id);
            foreach (string file in accountCopies)
            {
                string destination = "/etc/" + file;
                if (!spec.Mounts.Exists(m => m.Destination == destination))
                {
                    spec.Mounts.Add(new SpecMount { Destination = destination, Type = "bind", Source = Path.Combine(directory, file), Options = ["bind", "rprivate"] });
                }
            }
        }

        ProcessSpec process = spec.Process ?? throw SkiffException.Internal($"{path} has no process");
        process.User = new UserSpec { Uid = user.Uid, Gid = user.Gid, Umask = process.User.Umask, AdditionalGids = [.. user.AdditionalGids] };

        // The bundle was written with uid 0 while the name was unknown; a non-root user gets podman's
        // non-root sets (nothing effective unless --cap-add), exactly as a numeric -u does.
        SecurityProfile security = SecurityProfile.CapabilitiesFor(config.Privileged, config.CapAdd, config.CapDrop, user.Uid, HostCapabilities.Bounding());
        process.Capabilities = new CapabilitiesSpec
        {
            Bounding = [.. security.Bounding],
            Effective = [.. security.Effective],
            Permitted = [.. security.Permitted],
            Inheritable = [.. security.Inheritable],
            Ambient = [.. security.Ambient],
        };
        if (!process.Env.Exists(e => e.StartsWith("HOME=", StringComparison.Ordinal)))
        {
            process.Env.Add("HOME=" + user.Home);
        }

        return Core.Files.AtomicFile.ReplaceKeepingOld(path, SpecJsonWriter.Write(spec, indented: true));
    }

    /// <summary>Creates <paramref name="path"/> with <paramref name="text"/> unless it exists (the engine wrote its own).</summary>
    private static void WriteIfMissing(string path, string text)
    {
        // A plain check first: the file usually exists (the network wrote it), and a FileMode.CreateNew that
        // fails costs an exception on the start path. CreateNew still decides a race.
        if (File.Exists(path))
        {
            return;
        }

        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
        }
        catch (IOException) when (File.Exists(path))
        {
        }
    }

    /// <summary>Checks the shape of --user (name|uid[:group|gid]) before anything is created.</summary>
    public static void ValidateUser(string user)
    {
        string[] parts = user.Split(':', 2);
        if (user.Length > 0 && parts[0].Length == 0 || parts.Length == 2 && parts[1].Length == 0 || user.Contains('\n'))
        {
            throw SkiffException.InvalidArgument($"invalid user \"{user}\"", "use --user name|uid[:group|gid]");
        }
    }

    /// <summary>/dev/shm's tmpfs size option: --shm-size in bytes (0: no limit, as tmpfs's size=0), else podman's 64 MiB.</summary>
    public static string ShmSizeOption(long? bytes) =>
        bytes is { } size ? string.Create(CultureInfo.InvariantCulture, $"size={size}") : "size=65536k";

    private static string ResolvConf(string networkMode)
    {
        if (networkMode == "host" && File.Exists("/etc/resolv.conf"))
        {
            return File.ReadAllText("/etc/resolv.conf");
        }

        return string.Empty;
    }

    /// <summary>podman's <c>--ulimit host</c>: no limits of the container's own.</summary>
    public const string HostUlimits = "host";

    private static RlimitSpec Rlimit(string ulimit)
    {
        (string type, long soft, long hard) = ParseUlimit(ulimit);
        // docker's -1 (unlimited) is RLIM_INFINITY, the spec's unsigned all-ones.
        return new RlimitSpec { Type = type, Soft = unchecked((ulong)soft), Hard = unchecked((ulong)hard) };
    }

    /// <summary>docker's --ulimit name=soft[:hard] as the spec's rlimit (RLIMIT_NAME, soft, hard).</summary>
    public static (string Type, long Soft, long Hard) ParseUlimit(string ulimit)
    {
        string[] parts = ulimit.Split('=', 2);
        string[] values = parts.Length == 2 ? parts[1].Split(':', 2) : [];
        if (values.Length == 0 || !long.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long soft))
        {
            throw SkiffException.InvalidArgument($"invalid ulimit \"{ulimit}\"", "use --ulimit name=soft[:hard], e.g. nofile=1024:2048");
        }

        long hard = soft;
        if (values.Length == 2 && !long.TryParse(values[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out hard))
        {
            throw SkiffException.InvalidArgument($"invalid ulimit \"{ulimit}\"", "use --ulimit name=soft[:hard]");
        }

        string type = "RLIMIT_" + parts[0].ToUpperInvariant();
        if (!Rlimits.TryParse(type, out _))
        {
            throw SkiffException.InvalidArgument($"invalid ulimit \"{ulimit}\": unknown type {parts[0]}", "types: core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack, as");
        }

        if (soft >= 0 && hard >= 0 && soft > hard)
        {
            throw SkiffException.InvalidArgument($"invalid ulimit \"{ulimit}\": the soft limit {soft} is above the hard limit {hard}");
        }

        return (type, soft, hard);
    }

    private static List<IdMappingSpec> IdMappings(IReadOnlyList<Core.IdMaps.IdMapping> mappings)
    {
        var list = new List<IdMappingSpec>(mappings.Count);
        foreach (Core.IdMaps.IdMapping m in mappings)
        {
            list.Add(new IdMappingSpec { ContainerId = m.ContainerId, HostId = m.HostId, Size = m.Size });
        }

        return list;
    }

    private static SpecMount Mount(string destination, string type, string source, List<string> options) =>
        new() { Destination = destination, Type = type, Source = source, Options = options };
}

using Skiff.Core.Mounts;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// What a container was created with (docker's Config + HostConfig, flattened). Written once by create,
/// read by every later command and by the monitor; only rename changes it.
/// </summary>
public sealed record ContainerConfig
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required DateTimeOffset Created { get; init; }

    /// <summary>The image reference as the user gave it (or the rootfs path for --rootfs).</summary>
    public required string Image { get; init; }

    public string? ImageId { get; init; }

    /// <summary>A directory used as the root filesystem as it is (podman's --rootfs).</summary>
    public string? RootfsPath { get; init; }

    /// <summary>Mounts that assemble the root filesystem (from a snapshotter); mounted by the monitor.</summary>
    public IReadOnlyList<MountSpec> RootfsMounts { get; init; } = [];

    public IReadOnlyList<string> Entrypoint { get; init; } = [];

    public IReadOnlyList<string> Cmd { get; init; } = [];

    public IReadOnlyList<string> Env { get; init; } = [];

    public string WorkingDir { get; init; } = "/";

    public string User { get; init; } = string.Empty;

    public IReadOnlyList<string> GroupAdd { get; init; } = [];

    public string Hostname { get; init; } = string.Empty;

    public bool Tty { get; init; }

    public bool OpenStdin { get; init; }

    public bool AutoRemove { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>--sysctl KEY=VALUE, validated by <see cref="ContainerSysctls"/> (defaults are added in the bundle).</summary>
    public IReadOnlyDictionary<string, string> Sysctls { get; init; } = new Dictionary<string, string>();

    /// <summary>k8s-file (default), json-file or none.</summary>
    public string LogDriver { get; init; } = "k8s-file";

    /// <summary>--log-opt path=: the log file's absolute path outside the store; null: the store's ctr.log.</summary>
    public string? LogPath { get; init; }

    /// <summary>--log-opt max-size=: bytes a log file holds before the monitor rotates it; null: unbounded.</summary>
    public long? LogMaxSize { get; init; }

    /// <summary>--log-opt max-file=: how many files rotation keeps, the current one included; null: one.</summary>
    public int? LogMaxFiles { get; init; }

    /// <summary>--log-opt tag=: recorded and shown by inspect.</summary>
    public string? LogTag { get; init; }

    public string StopSignal { get; init; } = "SIGTERM";

    public int StopTimeout { get; init; } = 10;

    /// <summary>
    /// --timeout: seconds the container may run (from each start) before its monitor kills it (SIGKILL, recorded as exit
    /// code -1, as podman's conmon does); null (or 0) for no limit.
    /// </summary>
    public uint? Timeout { get; init; }

    /// <summary>--network: none, host, pasta[:OPTIONS], slirp4netns[:OPTIONS] or the name of a user-defined network.</summary>
    public string NetworkMode { get; init; } = "none";

    /// <summary>
    /// The container's places on user-defined networks (--network A --network B, network connect), in the order
    /// of its interfaces; empty for the other modes. <see cref="NetworkMode"/> names the first one.
    /// </summary>
    public IReadOnlyList<NetworkEndpoint> NetworkEndpoints
    {
        get => field ?? (legacyEndpoint is null ? [] : [legacyEndpoint]);
        init => field = value;
    }

    /// <summary>
    /// The single endpoint configurations written before containers could be on several networks stored as
    /// <c>networkEndpoint</c>: read as a one-element <see cref="NetworkEndpoints"/>, never written.
    /// </summary>
    [System.Text.Json.Serialization.JsonPropertyName("networkEndpoint")]
    public NetworkEndpoint? LegacyNetworkEndpoint
    {
        get => null;
        init => legacyEndpoint = value;
    }

    private readonly NetworkEndpoint? legacyEndpoint;

    /// <summary>
    /// Published ports, one per port (-p ranges expanded; -P and -p without a host port got a free host port at create).
    /// A stored <c>"ports": null</c> (written by early builds) reads as none, so ps and inspect keep working.
    /// </summary>
    public IReadOnlyList<PublishedPort> Ports { get; init => field = value ?? []; } = [];

    /// <summary>--dns, --dns-search, --dns-option and --add-host as given (already written into resolv.conf and hosts).</summary>
    public IReadOnlyList<string> Dns { get; init; } = [];

    public IReadOnlyList<string> DnsSearch { get; init; } = [];

    public IReadOnlyList<string> DnsOptions { get; init; } = [];

    public IReadOnlyList<string> ExtraHosts { get; init; } = [];

    /// <summary>podman's --no-hosts: no /etc/hosts is bind-mounted, the image's own stays.</summary>
    public bool NoHosts { get; init; }

    public bool PublishAll { get; init; }

    public bool ReadOnlyRootfs { get; init; }

    public bool Init { get; init; }

    /// <summary>podman's systemd mode (--systemd, decided at create; inspect's Config.SystemdMode): see <see cref="SystemdMode"/>.</summary>
    public bool Systemd { get; init; }

    /// <summary>The host file of the init bind-mounted at /run/skiff-init when <see cref="Init"/> is set.</summary>
    public string? InitPath { get; init; }

    public IReadOnlyList<ContainerMount> Mounts { get; init; } = [];

    /// <summary>docker's --ulimit values (name=soft[:hard]).</summary>
    public IReadOnlyList<string> Ulimits { get; init; } = [];

    public string? DetachKeys { get; init; }

    /// <summary>--restart's policy name (<see cref="Lifecycle.RestartPolicy"/>); null when not given (podman shows "").</summary>
    public string? RestartPolicy { get; init; }

    /// <summary>The MAX of --restart on-failure:MAX; 0 for no limit.</summary>
    public int RestartRetries { get; init; }

    /// <summary>cgroup limits (docker's --memory, --cpus, ...), with docker's defaults filled in.</summary>
    public Cgroups.CgroupResources Resources { get; init; } = Cgroups.CgroupResources.None;

    /// <summary>The container's cgroup relative to the hierarchy roots (linux.cgroupsPath without the leading
    /// slash), or null when it has none of its own (rootless on cgroup v1).</summary>
    public string? CgroupPath { get; init; }

    /// <summary>"systemd" when the group is a transient scope systemd made (the runtime gets --systemd-cgroup);
    /// null for cgroupfs.</summary>
    public string? CgroupManager { get; init; }

    /// <summary>A cgroup namespace of its own (--cgroupns=private; podman's default on cgroup v2), rooted at
    /// <see cref="CgroupPath"/> when the container has a group.</summary>
    public bool CgroupNamespace { get; init; }

    /// <summary>--cgroup-parent as given (inspect's HostConfig.CgroupParent); null without it.</summary>
    public string? CgroupParent { get; init; }

    /// <summary>--cgroups (<see cref="Cgroups.CgroupsMode"/>); null for the default, enabled.</summary>
    public string? CgroupsMode { get; init; }

    /// <summary>--requires: the full ids of containers started before this one (with those whose namespaces it joins).</summary>
    public IReadOnlyList<string> Requires { get; init => field = value ?? []; } = [];

    /// <summary>True when systemd owns the container's cgroup (a transient scope).</summary>
    public bool SystemdCgroup => CgroupManager == Cgroups.CgroupManagers.Systemd;

    /// <summary>--privileged: every capability, no seccomp filter, nothing masked or read-only.</summary>
    public bool Privileged { get; init; }

    public IReadOnlyList<string> CapAdd { get; init; } = [];

    public IReadOnlyList<string> CapDrop { get; init; } = [];

    /// <summary>--security-opt values as docker records them (a seccomp=FILE holds the profile's JSON, read at create).</summary>
    public IReadOnlyList<string> SecurityOpt { get; init; } = [];

    /// <summary>--userns as podman shows it in HostConfig.UsernsMode ("" when not given, "private" for --uidmap).</summary>
    public string UsernsMode { get; init; } = string.Empty;

    /// <summary>--pid as stored by <see cref="Namespaces.NamespaceMode"/>: "" (own), host, private, container:FULLID or ns:PATH.</summary>
    public string PidMode { get; init; } = string.Empty;

    /// <summary>--ipc (<see cref="Namespaces.NamespaceMode"/>, with shareable and none).</summary>
    public string IpcMode { get; init; } = string.Empty;

    /// <summary>--uts (<see cref="Namespaces.NamespaceMode"/>).</summary>
    public string UtsMode { get; init; } = string.Empty;

    /// <summary>
    /// The container's own user namespace maps, relative to the namespace the OCI runtime runs in (the
    /// host as root, skiff's user namespace rootless); null when it gets none of its own.
    /// </summary>
    public Core.IdMaps.IdMap? IdMappings { get; init; }

    /// <summary>
    /// The snapshot is a copy already owned by the ids of <see cref="IdMappings"/> (rootless), so the monitor
    /// mounts it as it is; otherwise a root container with its own map gets idmapped layers.
    /// </summary>
    public bool RootfsOwnersShifted { get; init; }

    /// <summary>An account added to the container's /etc/passwd and /etc/group when the image lacks it (keep-id, as podman).</summary>
    public ContainerAccount? AddAccount { get; init; }

    /// <summary>
    /// podman's --passwd: unless false, a numeric user the image's /etc/passwd and /etc/group lack gets an
    /// entry in the container's copies of them (and keep-id's account is added). Null (the default, and
    /// configs written before the flag existed) means true.
    /// </summary>
    public bool? Passwd { get; init; }

    /// <summary>podman's --passwd-entry: the template of that /etc/passwd line ($USERNAME, $UID, $GID, $NAME, $HOME).</summary>
    public string? PasswdEntry { get; init; }

    /// <summary>
    /// podman's --hostuser: host accounts to add to the container's /etc/passwd when it lacks them, each kept as the
    /// host's <c>NAME:UID:GID:GECOS:HOME</c> (looked up at create).
    /// </summary>
    public IReadOnlyList<string> HostUsers { get; init; } = [];

    /// <summary>podman's --conmon-pidfile: an absolute path that gets the monitor's pid on every start; null for none.</summary>
    public string? ConmonPidFile { get; init; }

    /// <summary>podman's --personality: the execution domain (LINUX or LINUX32) in the bundle's linux.personality; null for none.</summary>
    public string? Personality { get; init; }

    /// <summary>The healthcheck (the image's unless flags gave or disabled one); null when none was defined.</summary>
    public Health.HealthCheckConfig? Healthcheck { get; init; }

    /// <summary>podman's --unsetenv: default variables (the image's, PATH and TERM) the container does not get; -e still sets them.</summary>
    public IReadOnlyList<string> UnsetEnv { get; init => field = value ?? []; } = [];

    /// <summary>podman's --unsetenv-all: none of the default variables (the image's, PATH, TERM).</summary>
    public bool UnsetEnvAll { get; init; }

    /// <summary>--annotation KEY=VALUE: into the bundle's annotations (podman's Config.Annotations).</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init => field = value ?? new Dictionary<string, string>(); } = new Dictionary<string, string>();

    /// <summary>--pidfile: the host file the container's pid is written to on each start, removed with the container.</summary>
    public string? PidFile { get; init; }

    /// <summary>
    /// The command line that created the container, as typed (podman's Config.CreateCommand): <c>generate systemd --new</c>
    /// builds its <c>run</c> from it. Empty for a container made some other way.
    /// </summary>
    public IReadOnlyList<string> CreateCommand { get; init => field = value ?? []; } = [];

    /// <summary>podman's --sdnotify: container, conmon or ignore (<see cref="SdNotifyModes"/>); null when not given.</summary>
    public string? SdNotifyMode { get; init; }

    /// <summary>
    /// The NOTIFY_SOCKET skiff ran with when the container was created (podman keeps it so too), unless the mode is
    /// ignore: the monitor tells systemd the container's start there on each start. Null without one.
    /// </summary>
    public string? SdNotifySocket { get; init; }

    /// <summary>--device: host nodes the container gets (mknod as root, a bind mount in a user namespace), in the order given.</summary>
    public IReadOnlyList<ContainerDevice> Devices { get; init => field = value ?? []; } = [];

    /// <summary>--device-cgroup-rule, validated, as the user wrote them ("c 1:3 rwm").</summary>
    public IReadOnlyList<string> DeviceCgroupRules { get; init => field = value ?? []; } = [];

    /// <summary>--shm-size in bytes (0: no limit); null for the default, 64 MiB.</summary>
    public long? ShmSize { get; init; }

    /// <summary>--tz: an area/zone under /usr/share/zoneinfo, or "local" (the host's /etc/localtime); bound at /etc/localtime.</summary>
    public string? Timezone { get; init; }

    /// <summary>--umask (the process's umask); null for the default, 0022.</summary>
    public uint? Umask { get; init; }

    /// <summary>--oom-score-adj: written to the process's /proc/self/oom_score_adj by the runtime before exec.</summary>
    public int? OomScoreAdj { get; init; }

    /// <summary>--secret: the secrets given to the container, in the order given (their values are in its own copies, never here).</summary>
    public IReadOnlyList<ContainerSecret> Secrets { get; init => field = value ?? []; } = [];

    /// <summary>Path of the OCI runtime program that runs this container.</summary>
    public required string Runtime { get; init; }

    /// <summary>The process argv: entrypoint followed by cmd.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> Args => [.. Entrypoint, .. Cmd];
}

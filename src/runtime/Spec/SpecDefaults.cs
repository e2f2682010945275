namespace Skiff.Runtime.Spec;

/// <summary>
/// The spec podman 4 generates by default: its capability set, masked and read-only paths, the
/// standard /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue and read-only /sys mounts. The engine starts
/// from this and applies flags (--cap-add, -v, --security-opt, …) on top.
/// </summary>
public static class SpecDefaults
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static IReadOnlyList<string> DefaultCapabilities { get; } =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_NET_BIND_SERVICE",
        "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT",
    ];

    /// <summary>
    /// podman's list, plus /sys/devices/virtual/powercap as docker masks it since 25.0: its energy
    /// counters leak what other processes compute (the PLATYPUS attack, CVE-2020-8694).
    /// </summary>
    public static IReadOnlyList<string> MaskedPaths { get; } =
    [
        "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
        "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/fs/selinux", "/sys/dev/block", "/sys/devices/virtual/powercap",
    ];

    public static IReadOnlyList<string> ReadonlyPaths { get; } =
    [
        "/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
    ];

    public static RuntimeSpec Create(SpecDefaultsOptions options)
    {
        var env = new List<string>(options.Env);
        if (!env.Any(e => e.StartsWith("PATH=", StringComparison.Ordinal)))
        {
            env.Insert(0, "PATH=" + DefaultPath);
        }

        if (options.Terminal && !env.Any(e => e.StartsWith("TERM=", StringComparison.Ordinal)))
        {
            env.Add("TERM=xterm");
        }

        var namespaces = new List<NamespaceSpec> { new() { Type = "pid" } };
        if (options.NetworkNamespace)
        {
            namespaces.Add(new NamespaceSpec { Type = "network" });
        }

        namespaces.Add(new NamespaceSpec { Type = "ipc" });
        namespaces.Add(new NamespaceSpec { Type = "uts" });
        namespaces.Add(new NamespaceSpec { Type = "mount" });
        namespaces.Add(new NamespaceSpec { Type = "cgroup" });
        var linux = new LinuxSpec
        {
            Namespaces = namespaces,
            MaskedPaths = [.. MaskedPaths],
            ReadonlyPaths = [.. ReadonlyPaths],
        };

        // devpts' gid=5 (tty) must exist inside; with a single-id user namespace it would not.
        bool ttyGroupMapped = true;
        if (options.UserNamespace is { } map)
        {
            namespaces.Add(new NamespaceSpec { Type = "user" });
            linux.UidMappings = [.. map.Uids.Select(m => new IdMappingSpec { ContainerId = m.ContainerId, HostId = m.HostId, Size = m.Size })];
            linux.GidMappings = [.. map.Gids.Select(m => new IdMappingSpec { ContainerId = m.ContainerId, HostId = m.HostId, Size = m.Size })];
            ttyGroupMapped = map.HostGid(5) is not null;
        }

        return new RuntimeSpec
        {
            Process = new ProcessSpec
            {
                Terminal = options.Terminal,
                User = new UserSpec
                {
                    Uid = options.Uid,
                    Gid = options.Gid,
                    AdditionalGids = options.AdditionalGids.Count > 0 ? [.. options.AdditionalGids] : null,
                },
                Args = [.. options.Args],
                Env = env,
                Cwd = options.Cwd,
                Capabilities = new CapabilitiesSpec
                {
                    Bounding = [.. DefaultCapabilities],
                    Effective = [.. DefaultCapabilities],
                    Permitted = [.. DefaultCapabilities],
                    Inheritable = [],
                    Ambient = [],
                },
                NoNewPrivileges = false,
            },
            Root = new RootSpec { Path = options.RootfsPath, Readonly = options.ReadonlyRootfs },
            Hostname = options.Hostname,
            Mounts = DefaultMounts(ttyGroupMapped),
            Linux = linux,
        };
    }

    private static List<SpecMount> DefaultMounts(bool ttyGroupMapped)
    {
        var devptsOptions = new List<string> { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620" };
        if (ttyGroupMapped)
        {
            devptsOptions.Add("gid=5");
        }

        return
        [
            new() { Destination = "/proc", Type = "proc", Source = "proc", Options = ["nosuid", "noexec", "nodev"] },
            new() { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "strictatime", "mode=755", "size=65536k"] },
            new() { Destination = "/dev/pts", Type = "devpts", Source = "devpts", Options = devptsOptions },
            new() { Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue", Options = ["nosuid", "noexec", "nodev"] },
            new() { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = ["nosuid", "noexec", "nodev", "ro"] },
            new() { Destination = "/dev/shm", Type = "tmpfs", Source = "shm", Options = ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"] },
        ];
    }
}

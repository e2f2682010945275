using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Skiff.Core.Errors;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// Writes the OCI bundle (config.json) for a container: podman's defaults (capabilities, masked and
/// read-only paths, namespaces, /dev, /proc, /sys) plus the container's own settings.
/// </summary>
public sealed class BundleWriter(ContainerStore store)
{
    private static readonly string[] DefaultCapabilities =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_NET_BIND_SERVICE",
        "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT",
    ];

    private static readonly string[] MaskedPaths =
    [
        "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
        "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/dev/block", "/sys/fs/selinux",
    ];

    private static readonly string[] ReadonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    public void Write(ContainerConfig config, bool rootless, Terminal.TerminalSize? consoleSize = null)
    {
        string directory = store.Directory(config.Id);
        string hostname = config.Hostname.Length > 0 ? config.Hostname : ContainerIds.Short(config.Id);
        File.WriteAllText(Path.Combine(directory, "hostname"), hostname + "\n");
        File.WriteAllText(Path.Combine(directory, "hosts"), $"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t{hostname}\n");
        File.WriteAllText(Path.Combine(directory, "resolv.conf"), ResolvConf(config.NetworkMode));

        // Names are looked up in the image's files once its root is mounted (ApplyUser, by the monitor).
        ContainerUser user = UserResolver.NeedsLookup(config.User, config.GroupAdd)
            ? new ContainerUser(0, 0, [], "/")
            : UserResolver.Resolve(config.User, config.GroupAdd, null, null);
        var env = new List<string>(config.Env);
        if (!env.Any(e => e.StartsWith("PATH=", StringComparison.Ordinal)))
        {
            env.Insert(0, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        }

        if (config.Tty && !env.Any(e => e.StartsWith("TERM=", StringComparison.Ordinal)))
        {
            env.Add("TERM=xterm");
        }

        if (!env.Any(e => e.StartsWith("HOSTNAME=", StringComparison.Ordinal)))
        {
            env.Add("HOSTNAME=" + hostname);
        }

        var process = new JsonObject
        {
            ["terminal"] = config.Tty,
            ["user"] = new JsonObject
            {
                ["uid"] = user.Uid,
                ["gid"] = user.Gid,
                ["additionalGids"] = Array(user.AdditionalGids.Select(g => (JsonNode)g)),
            },
            ["args"] = Strings(config.Init ? [ContainerInitBinary.MountPoint, "--", .. config.Args] : config.Args),
            ["env"] = Strings(env),
            ["cwd"] = config.WorkingDir.Length > 0 ? config.WorkingDir : "/",
            ["capabilities"] = new JsonObject
            {
                ["bounding"] = Strings(DefaultCapabilities),
                ["effective"] = Strings(DefaultCapabilities),
                ["permitted"] = Strings(DefaultCapabilities),
                ["inheritable"] = new JsonArray(),
                ["ambient"] = new JsonArray(),
            },
            ["rlimits"] = Array(config.Ulimits.Select(Rlimit)),
            ["noNewPrivileges"] = false,
        };
        if (config.Tty && consoleSize is Terminal.TerminalSize size)
        {
            process["consoleSize"] = new JsonObject { ["height"] = size.Rows, ["width"] = size.Columns };
        }

        var mounts = new JsonArray(
            Mount("/proc", "proc", "proc", []),
            Mount("/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            Mount("/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", .. rootless ? System.Array.Empty<string>() : ["gid=5"]]),
            Mount("/dev/shm", "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
            Mount("/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]),
            config.NetworkMode == "host" && rootless
                ? Mount("/sys", "bind", "/sys", ["rbind", "nosuid", "noexec", "nodev", "ro"])
                : Mount("/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", "ro"]),
            Mount("/etc/hostname", "bind", Path.Combine(directory, "hostname"), ["bind", "rprivate"]),
            Mount("/etc/hosts", "bind", Path.Combine(directory, "hosts"), ["bind", "rprivate"]),
            Mount("/etc/resolv.conf", "bind", Path.Combine(directory, "resolv.conf"), ["bind", "rprivate"]));
        if (config.Init && config.InitPath is not null)
        {
            mounts.Add((JsonNode)Mount(ContainerInitBinary.MountPoint, "bind", config.InitPath, ["bind", "ro", "nodev", "nosuid"]));
        }

        foreach (ContainerMount mount in config.Mounts)
        {
            mounts.Add((JsonNode)(mount.Type == "tmpfs"
                ? Mount(mount.Destination, "tmpfs", "tmpfs", ["nosuid", "nodev", .. mount.Options])
                : Mount(mount.Destination, "bind", mount.Source, ["rbind", .. mount.Options])));
        }

        var namespaces = new JsonArray(
            new JsonObject { ["type"] = "pid" },
            new JsonObject { ["type"] = "ipc" },
            new JsonObject { ["type"] = "uts" },
            new JsonObject { ["type"] = "mount" });
        if (config.NetworkMode != "host")
        {
            namespaces.Add((JsonNode)new JsonObject { ["type"] = "network" });
        }

        var spec = new JsonObject
        {
            ["ociVersion"] = "1.0.2",
            ["process"] = process,
            ["root"] = new JsonObject
            {
                ["path"] = config.RootfsPath ?? store.RootfsMountPoint(config.Id),
                ["readonly"] = config.ReadOnlyRootfs,
            },
            ["hostname"] = hostname,
            ["mounts"] = mounts,
            ["linux"] = new JsonObject
            {
                ["namespaces"] = namespaces,
                ["maskedPaths"] = Strings(MaskedPaths),
                ["readonlyPaths"] = Strings(ReadonlyPaths),
            },
        };
        if (config.Labels.Count > 0)
        {
            var annotations = new JsonObject();
            foreach ((string key, string value) in config.Labels)
            {
                annotations[key] = value;
            }

            spec["annotations"] = annotations;
        }

        File.WriteAllText(Path.Combine(store.BundleDirectory(config.Id), "config.json"), spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>
    /// Puts the resolved user into the bundle's process (uid, gid, supplementary groups) and HOME from
    /// the image's passwd when neither the image nor the user set it, as podman does.
    /// </summary>
    public void ApplyUser(ContainerConfig config, ContainerUser user)
    {
        string path = Path.Combine(store.BundleDirectory(config.Id), "config.json");
        JsonNode spec = JsonNode.Parse(File.ReadAllBytes(path)) ?? throw SkiffException.Internal($"{path} is empty");
        JsonNode process = spec["process"] ?? throw SkiffException.Internal($"{path} has no process");
        process["user"] = new JsonObject
        {
            ["uid"] = user.Uid,
            ["gid"] = user.Gid,
            ["additionalGids"] = Array(user.AdditionalGids.Select(g => (JsonNode)g)),
        };
        if (process["env"] is JsonArray env && !env.Any(e => e?.GetValue<string>().StartsWith("HOME=", StringComparison.Ordinal) == true))
        {
            env.Add((JsonNode)JsonValue.Create("HOME=" + user.Home));
        }

        Core.Files.AtomicFile.WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
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

    private static string ResolvConf(string networkMode)
    {
        if (networkMode == "host" && File.Exists("/etc/resolv.conf"))
        {
            return File.ReadAllText("/etc/resolv.conf");
        }

        return string.Empty;
    }

    private static JsonNode Rlimit(string ulimit)
    {
        // docker's --ulimit name=soft[:hard]
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

        return new JsonObject { ["type"] = "RLIMIT_" + parts[0].ToUpperInvariant(), ["soft"] = soft, ["hard"] = hard };
    }

    private static JsonObject Mount(string destination, string type, string source, IEnumerable<string> options) => new()
    {
        ["destination"] = destination,
        ["type"] = type,
        ["source"] = source,
        ["options"] = Strings(options),
    };

    private static JsonArray Strings(IEnumerable<string> items) => Array(items.Select(i => (JsonNode)JsonValue.Create(i)));

    private static JsonArray Array(IEnumerable<JsonNode> items)
    {
        var array = new JsonArray();
        foreach (JsonNode item in items)
        {
            array.Add((JsonNode?)item);
        }

        return array;
    }
}

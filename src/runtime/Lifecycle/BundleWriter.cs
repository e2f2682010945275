using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Skiff.Core.Errors;
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
    /// as podman gives them; inspect shows the same list.
    /// </summary>
    public static List<string> ProcessEnvironment(ContainerConfig config, string hostname)
    {
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

        return env;
    }

    public void Write(ContainerConfig config, bool rootless, Terminal.TerminalSize? consoleSize = null)
    {
        string directory = store.Directory(config.Id);
        string hostname = config.Hostname.Length > 0 ? config.Hostname : ContainerIds.Short(config.Id);
        File.WriteAllText(Path.Combine(directory, "hostname"), hostname + "\n");
        // Defaults for the bind-mount sources; the engine writes the network's own hosts and resolv.conf first.
        WriteIfMissing(Path.Combine(directory, "hosts"), $"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t{hostname}\n");
        WriteIfMissing(Path.Combine(directory, "resolv.conf"), ResolvConf(config.NetworkMode));

        // Names are looked up in the image's files once its root is mounted (ApplyUser, by the monitor).
        ContainerUser user = UserResolver.NeedsLookup(config.User, config.GroupAdd)
            ? new ContainerUser(0, 0, [], "/")
            : UserResolver.Resolve(config.User, config.GroupAdd, null, null);
        SecurityProfile security = SecurityProfile.For(config.Privileged, config.CapAdd, config.CapDrop, SecurityOptions.Parse(config.SecurityOpt), user.Uid, HostCapabilities.Bounding());
        List<string> env = ProcessEnvironment(config, hostname);

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
            ["capabilities"] = Capabilities(security),
            ["rlimits"] = Array(config.Ulimits.Select(Rlimit)),
            ["noNewPrivileges"] = security.NoNewPrivileges,
        };
        if (config.Tty && consoleSize is Terminal.TerminalSize size)
        {
            process["consoleSize"] = new JsonObject { ["height"] = size.Rows, ["width"] = size.Columns };
        }

        // With a user namespace of its own, the container's tty group must be mapped for devpts' gid=5.
        Core.IdMaps.IdMap? idMap = config.IdMappings;
        bool ttyGroup = !rootless && (idMap is null || idMap.HostGid(5) is not null);
        var mounts = new JsonArray(
            Mount("/proc", "proc", "proc", []),
            Mount("/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            Mount("/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", .. ttyGroup ? ["gid=5"] : System.Array.Empty<string>()]),
            Mount("/dev/shm", "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
            Mount("/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]),
            config.NetworkMode == "host" && (rootless || idMap is not null)
                ? Mount("/sys", "bind", "/sys", ["rbind", "nosuid", "noexec", "nodev", "ro"])
                : Mount("/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", security.Privileged ? "rw" : "ro"]),
            Mount("/etc/hostname", "bind", Path.Combine(directory, "hostname"), ["bind", "rprivate"]),
            Mount("/etc/hosts", "bind", Path.Combine(directory, "hosts"), ["bind", "rprivate"]),
            Mount("/etc/resolv.conf", "bind", Path.Combine(directory, "resolv.conf"), ["bind", "rprivate"]));
        if (config.Init && config.InitPath is not null)
        {
            mounts.Add((JsonNode)Mount(ContainerInitBinary.MountPoint, "bind", config.InitPath, ["bind", "ro", "nodev", "nosuid"]));
        }

        for (int index = 0; index < config.Mounts.Count; index++)
        {
            ContainerMount mount = config.Mounts[index];
            mounts.Add((JsonNode)(mount.Type switch
            {
                // The monitor attaches the idmapped clone of the source there before the runtime starts.
                _ when IdmappedVolumes.Requested(mount) => Mount(
                    mount.Destination, "bind", IdmappedVolumes.StagingPath(store, config.Id, index), ["rbind", .. mount.Type == "volume" ? ["nosuid", "nodev"] : global::System.Array.Empty<string>(), .. mount.Options.Where(o => o is not ("nocopy" or "U" or IdmappedVolumes.Option))]),

                "tmpfs" => Mount(mount.Destination, "tmpfs", "tmpfs", ["nosuid", "nodev", .. mount.Options]),

                // A volume is its _data directory bound in (podman's options); nocopy and U are ours, not the kernel's.
                "volume" => Mount(mount.Destination, "bind", mount.Source, ["rbind", "nosuid", "nodev", .. mount.Options.Where(o => o is not ("nocopy" or "U"))]),
                _ => Mount(mount.Destination, "bind", mount.Source, ["rbind", .. mount.Options.Where(o => o != "U")]),
            }));
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

        if (idMap is not null)
        {
            namespaces.Add((JsonNode)new JsonObject { ["type"] = "user" });
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
                ["maskedPaths"] = Strings(security.MaskedPaths),
                ["readonlyPaths"] = Strings(security.ReadonlyPaths),
            },
        };
        if (idMap is not null)
        {
            spec["linux"]!["uidMappings"] = Array(idMap.Uids.Select(IdMapping));
            spec["linux"]!["gidMappings"] = Array(idMap.Gids.Select(IdMapping));
        }

        if (config.CgroupPath is not null)
        {
            // With systemd the runtime (--systemd-cgroup) asks systemd for the scope SLICE:skiff:ID, as podman's
            // "machine.slice:libpod:ID"; the slice is the directory the planned group sits in.
            spec["linux"]!["cgroupsPath"] = config.SystemdCgroup
                ? Cgroups.Systemd.SystemdCgroupsPath.ForContainer(Path.GetFileName(Path.GetDirectoryName(config.CgroupPath)!), config.Id).ToString()
                : "/" + config.CgroupPath;
            // As docker and podman: the container sees its own groups, read-only.
            mounts.Add((JsonNode)Mount("/sys/fs/cgroup", "cgroup", "cgroup", ["nosuid", "noexec", "nodev", "relatime", "ro"]));
        }

        if (config.CgroupNamespace)
        {
            namespaces.Add((JsonNode)new JsonObject { ["type"] = "cgroup" });
        }

        IReadOnlyDictionary<string, string> sysctls = ContainerSysctls.ForBundle(config);
        if (sysctls.Count > 0)
        {
            var sysctl = new JsonObject();
            foreach ((string key, string value) in sysctls)
            {
                sysctl[key] = value;
            }

            spec["linux"]!["sysctl"] = sysctl;
        }

        if (!config.Resources.IsEmpty)
        {
            spec["linux"]!["resources"] = OciResources.ToJson(config.Resources);
        }

        if (security.Seccomp is { } seccomp)
        {
            spec["linux"]!["seccomp"] = JsonNode.Parse(Spec.SpecJsonWriter.WriteSeccomp(seccomp));
        }

        if (config.Labels.Count > 0 || KeepGroups.Requested(config.GroupAdd))
        {
            var annotations = new JsonObject();
            foreach ((string key, string value) in config.Labels)
            {
                annotations[key] = value;
            }

            if (KeepGroups.Requested(config.GroupAdd))
            {
                annotations[KeepGroups.Annotation] = "1";
            }

            spec["annotations"] = annotations;
        }

        File.WriteAllText(Path.Combine(store.BundleDirectory(config.Id), "config.json"), spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Rewrites linux.resources of an existing bundle (skiff update), leaving the rest as created.</summary>
    public void WriteResources(ContainerConfig config)
    {
        string path = Path.Combine(store.BundleDirectory(config.Id), "config.json");
        JsonNode spec = JsonNode.Parse(File.ReadAllText(path))
            ?? throw SkiffException.Internal($"the bundle of container {config.Id} is empty");
        if (spec["linux"] is JsonObject linux)
        {
            linux["resources"] = OciResources.ToJson(config.Resources);
        }

        File.WriteAllText(path + ".tmp", spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
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
        process.User = new UserSpec { Uid = user.Uid, Gid = user.Gid, AdditionalGids = [.. user.AdditionalGids] };

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

    private static void WriteIfMissing(string path, string text)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
        }
        catch (IOException) when (File.Exists(path))
        {
        }
    }

    private static JsonObject Capabilities(SecurityProfile security) => new()
    {
        ["bounding"] = Strings(security.Bounding),
        ["effective"] = Strings(security.Effective),
        ["permitted"] = Strings(security.Permitted),
        ["inheritable"] = Strings(security.Inheritable),
        ["ambient"] = Strings(security.Ambient),
    };

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
        (string type, long soft, long hard) = ParseUlimit(ulimit);
        return new JsonObject { ["type"] = type, ["soft"] = soft, ["hard"] = hard };
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

        return ("RLIMIT_" + parts[0].ToUpperInvariant(), soft, hard);
    }

    private static JsonNode IdMapping(Core.IdMaps.IdMapping m) =>
        new JsonObject { ["containerID"] = m.ContainerId, ["hostID"] = m.HostId, ["size"] = m.Size };

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

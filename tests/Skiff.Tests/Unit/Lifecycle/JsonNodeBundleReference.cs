using System.Text.Json.Nodes;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Spec;

namespace Skiff.Tests.Unit.Lifecycle;

/// <summary>
/// The document BundleWriter.Write built through JsonNode until session 11, kept as the reference the RuntimeSpec
/// path is compared with (<see cref="BundleWriterTests"/>). Not used by skiff itself.
/// </summary>
internal static class JsonNodeBundleReference
{
    public static JsonObject Build(ContainerStore store, ContainerConfig config, bool rootless, Skiff.Runtime.Terminal.TerminalSize? consoleSize)
    {
        string directory = store.Directory(config.Id);
        string hostname = config.Hostname.Length > 0 ? config.Hostname : ContainerIds.Short(config.Id);
        // Names are looked up in the image's files once its root is mounted (ApplyUser, by the monitor).
        ContainerUser user = UserResolver.NeedsLookup(config.User, config.GroupAdd)
            ? new ContainerUser(0, 0, [], "/")
            : UserResolver.Resolve(config.User, config.GroupAdd, null, null);
        SecurityProfile security = SecurityProfile.For(config.Privileged, config.CapAdd, config.CapDrop, SecurityOptions.Parse(config.SecurityOpt), user.Uid, HostCapabilities.Bounding());
        List<string> env = BundleWriter.ProcessEnvironment(config, hostname);

        var process = new JsonObject
        {
            ["terminal"] = config.Tty,
            ["user"] = new JsonObject
            {
                ["uid"] = user.Uid,
                ["gid"] = user.Gid,
                ["umask"] = config.Umask ?? BundleWriter.DefaultUmask,
                ["additionalGids"] = Array(user.AdditionalGids.Select(g => (JsonNode)g)),
            },
            ["args"] = Strings(config.Init ? [ContainerInitBinary.MountPoint, "--", .. config.Args] : config.Args),
            ["env"] = Strings(env),
            ["cwd"] = config.WorkingDir.Length > 0 ? config.WorkingDir : "/",
            ["capabilities"] = Capabilities(security),
            ["rlimits"] = Array(Rlimits(config.Ulimits)),
            ["noNewPrivileges"] = security.NoNewPrivileges,
        };
        if (config.OomScoreAdj is int oomScoreAdj)
        {
            process["oomScoreAdj"] = oomScoreAdj;
        }

        if (config.Tty && consoleSize is Skiff.Runtime.Terminal.TerminalSize size)
        {
            process["consoleSize"] = new JsonObject { ["height"] = size.Rows, ["width"] = size.Columns };
        }

        // With a user namespace of its own, the container's tty group must be mapped for devpts' gid=5.
        Skiff.Core.IdMaps.IdMap? idMap = config.IdMappings;
        bool ttyGroup = !rootless && (idMap is null || idMap.HostGid(5) is not null);
        var mounts = new JsonArray(
            Mount("/proc", "proc", "proc", ["nosuid", "noexec", "nodev"]),
            Mount("/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            Mount("/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", .. ttyGroup ? ["gid=5"] : System.Array.Empty<string>()]),
            Mount("/dev/shm", "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", config.ShmSize is long shm ? $"size={shm}" : "size=65536k"]),
            Mount("/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]),
            config.NetworkMode == "host" && (rootless || idMap is not null)
                ? Mount("/sys", "bind", "/sys", ["rbind", "nosuid", "noexec", "nodev", "ro"])
                : Mount("/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", security.Privileged ? "rw" : "ro"]),
            Mount("/etc/hostname", "bind", Path.Combine(directory, "hostname"), ["bind", "rprivate"]),
            Mount("/etc/hosts", "bind", Path.Combine(directory, "hosts"), ["bind", "rprivate"]),
            Mount("/etc/resolv.conf", "bind", Path.Combine(directory, "resolv.conf"), ["bind", "rprivate"]));
        if (config.Timezone is not null)
        {
            mounts.Add((JsonNode)Mount("/etc/localtime", "bind", ContainerTimezone.HostFile(config.Timezone), ["bind", "ro", "rprivate"]));
        }

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

        if (!config.Mounts.Any(m => m.Destination.TrimEnd('/') == ContainerEnvFile.Destination))
        {
            mounts.Add((JsonNode)Mount(ContainerEnvFile.Destination, "bind", Path.Combine(directory, ContainerEnvFile.FileName), ["bind", "rprivate"]));
        }

        // In a user namespace each --device is the host's node bound in; without one a node the runtime makes.
        bool inUserNamespace = rootless || idMap is not null;
        // --privileged: the host's nodes too (podman's walk of /dev), bound read-write but for the terminals in a user namespace.
        IReadOnlyList<ContainerDevice> host = config.Privileged ? HostDeviceWalk.Under("/dev") : [];
        foreach (ContainerDevice device in inUserNamespace ? host : [])
        {
            if (device.PathInContainer != "/dev/ptmx" && !device.PathInContainer.StartsWith("/dev/tty", StringComparison.Ordinal))
            {
                mounts.Add((JsonNode)Mount(device.PathInContainer, "bind", device.PathOnHost, ["bind", "nosuid", "noexec", "rw"]));
            }
        }

        foreach (ContainerDevice device in inUserNamespace ? config.Devices : [])
        {
            mounts.Add((JsonNode)Mount(device.PathInContainer, "bind", device.PathOnHost, ["bind", "nosuid", "noexec", device.Permissions.Contains('w') ? "rw" : "ro"]));
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
                ? Skiff.Runtime.Cgroups.Systemd.SystemdCgroupsPath.ForContainer(Path.GetFileName(Path.GetDirectoryName(config.CgroupPath)!), config.Id).ToString()
                : "/" + config.CgroupPath;
        }

        // As docker and podman: the container sees its own groups read-only (without one, rootless, the ones it inherited).
        mounts.Add((JsonNode)Mount("/sys/fs/cgroup", "cgroup", "cgroup", ["nosuid", "noexec", "nodev", "relatime", "ro"]));

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
            spec["linux"]!["resources"] = Resources(config.Resources);
        }

        if (!inUserNamespace && (config.Devices.Count > 0 || host.Count > 0))
        {
            spec["linux"]!["devices"] = Array(host.Where(d => d.PathInContainer != "/dev/ptmx").Concat(config.Devices).Select(d => (JsonNode)new JsonObject
            {
                ["type"] = d.Type,
                ["path"] = d.PathInContainer,
                ["major"] = d.Major,
                ["minor"] = d.Minor,
                ["fileMode"] = (d.Type == "b" ? 0x6000u : 0x2000u) | (d.FileMode & 0x1ff),
                ["uid"] = d.Uid,
                ["gid"] = d.Gid,
            }));
        }

        if (config.CgroupPath is not null && !rootless)
        {
            // Deny all, allow all when privileged, then each device and each --device-cgroup-rule, as podman writes them.
            var rules = new JsonArray { (JsonNode)new JsonObject { ["allow"] = false, ["type"] = "a", ["access"] = "rwm" } };
            if (config.Privileged)
            {
                rules.Add((JsonNode)new JsonObject { ["allow"] = true, ["type"] = "a", ["access"] = "rwm" });
            }

            foreach (ContainerDevice d in config.Devices)
            {
                rules.Add((JsonNode)new JsonObject { ["allow"] = true, ["type"] = d.Type, ["major"] = d.Major, ["minor"] = d.Minor, ["access"] = d.Permissions });
            }

            foreach (string rule in config.DeviceCgroupRules)
            {
                string[] f = rule.Split(' ');
                string[] n = f[1].Split(':');
                var item = new JsonObject { ["allow"] = true, ["type"] = f[0] };
                if (n[0] != "*")
                {
                    item["major"] = long.Parse(n[0], System.Globalization.CultureInfo.InvariantCulture);
                }

                if (n[1] != "*")
                {
                    item["minor"] = long.Parse(n[1], System.Globalization.CultureInfo.InvariantCulture);
                }

                item["access"] = f[2];
                rules.Add((JsonNode)item);
            }

            var resources = spec["linux"]!["resources"] as JsonObject ?? new JsonObject();
            resources["devices"] = rules;
            spec["linux"]!["resources"] = resources;
        }

        if (security.Seccomp is { } seccomp)
        {
            spec["linux"]!["seccomp"] = JsonNode.Parse(SpecJsonWriter.WriteSeccomp(seccomp));
        }

        if (config.Labels.Count > 0 || config.Annotations.Count > 0 || KeepGroups.Requested(config.GroupAdd))
        {
            var annotations = new JsonObject();
            foreach ((string key, string value) in config.Labels.Concat(config.Annotations))
            {
                annotations[key] = value;
            }

            if (KeepGroups.Requested(config.GroupAdd))
            {
                annotations[KeepGroups.Annotation] = "1";
            }

            spec["annotations"] = annotations;
        }

        return spec;
    }

    private static JsonObject Capabilities(SecurityProfile security) => new()
    {
        ["bounding"] = Strings(security.Bounding),
        ["effective"] = Strings(security.Effective),
        ["permitted"] = Strings(security.Permitted),
        ["inheritable"] = Strings(security.Inheritable),
        ["ambient"] = Strings(security.Ambient),
    };

    private static IEnumerable<JsonNode> Rlimits(IReadOnlyList<string> ulimits)
    {
        List<JsonNode> given = [.. ulimits.Where(u => u != BundleWriter.HostUlimits).Select(Rlimit)];
        if (ulimits.Contains(BundleWriter.HostUlimits))
        {
            return given;
        }

        var specs = ulimits.Where(u => u != BundleWriter.HostUlimits).Select(BundleWriter.ParseUlimit)
            .Select(u => new Skiff.Runtime.Spec.RlimitSpec { Type = u.Type }).ToList();
        return given.Concat(Skiff.Runtime.Process.DefaultRlimits.Missing(specs)
            .Select(r => (JsonNode)new JsonObject { ["type"] = r.Type, ["soft"] = r.Soft, ["hard"] = r.Hard }));
    }

    private static JsonNode Rlimit(string ulimit)
    {
        (string type, long soft, long hard) = BundleWriter.ParseUlimit(ulimit);
        return new JsonObject { ["type"] = type, ["soft"] = soft, ["hard"] = hard };
    }

    private static JsonNode IdMapping(Skiff.Core.IdMaps.IdMapping m) =>
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

    private static JsonObject Resources(CgroupResources r)
    {
        var resources = new JsonObject();
        if (r.Memory is not null || r.MemorySwap is not null || r.MemoryReservation is not null)
        {
            var memory = new JsonObject();
            if (r.Memory is not null)
            {
                memory["limit"] = r.Memory.Value;
            }

            if (r.MemoryReservation is not null)
            {
                memory["reservation"] = r.MemoryReservation.Value;
            }

            if (r.MemorySwap is not null)
            {
                // OCI's "swap" is memory plus swap, the same meaning as docker's --memory-swap.
                memory["swap"] = r.MemorySwap.Value;
            }

            resources["memory"] = memory;
        }

        if (r.CpuQuota is not null || r.CpuPeriod is not null || r.CpuShares is not null || r.CpusetCpus is not null)
        {
            var cpu = new JsonObject();
            if (r.CpuShares is not null)
            {
                cpu["shares"] = r.CpuShares.Value;
            }

            if (r.CpuQuota is not null)
            {
                cpu["quota"] = r.CpuQuota.Value;
            }

            if (r.CpuPeriod is not null)
            {
                cpu["period"] = r.CpuPeriod.Value;
            }

            if (r.CpusetCpus is not null)
            {
                cpu["cpus"] = r.CpusetCpus;
            }

            resources["cpu"] = cpu;
        }

        if (r.PidsLimit is not null)
        {
            resources["pids"] = new JsonObject { ["limit"] = r.PidsLimit.Value };
        }

        if (r.BlkioWeight is not null || r.BlockIoLimits is not null)
        {
            var blockIo = new JsonObject();
            if (r.BlkioWeight is not null)
            {
                blockIo["weight"] = r.BlkioWeight.Value;
            }

            foreach ((string name, BlockIoLimitKind kind) in new[]
            {
                ("throttleReadBpsDevice", BlockIoLimitKind.ReadBps), ("throttleWriteBpsDevice", BlockIoLimitKind.WriteBps),
                ("throttleReadIOPSDevice", BlockIoLimitKind.ReadIops), ("throttleWriteIOPSDevice", BlockIoLimitKind.WriteIops),
            })
            {
                BlockIoLimit[] limits = [.. (r.BlockIoLimits ?? []).Where(l => l.Kind == kind)];
                if (limits.Length > 0)
                {
                    blockIo[name] = Array(limits.Select(l => (JsonNode)new JsonObject { ["major"] = l.Major, ["minor"] = l.Minor, ["rate"] = l.Value }));
                }
            }

            BlockIoLimit[] weights = [.. (r.BlockIoLimits ?? []).Where(l => l.Kind == BlockIoLimitKind.Weight)];
            if (weights.Length > 0)
            {
                blockIo["weightDevice"] = Array(weights.Select(l => (JsonNode)new JsonObject { ["major"] = l.Major, ["minor"] = l.Minor, ["weight"] = l.Value }));
            }

            resources["blockIO"] = blockIo;
        }

        return resources;
    }
}

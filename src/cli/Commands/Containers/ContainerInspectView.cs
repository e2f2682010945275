using Skiff.Cli.Output;
using Skiff.Runtime.Health;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// The <c>container inspect</c> object (docker's shape with podman's types: <c>StopSignal</c> a number,
/// times as <c>time.Time</c>), built as a field-ordered value so that the JSON output and <c>--format
/// '{{range .Mounts}}…'</c> read the same data. Maps (labels, ports, networks) print and iterate sorted.
/// </summary>
public static class ContainerInspectView
{
    /// <param name="size">Measured with <c>--size</c>: podman's <c>SizeRw</c> and <c>SizeRootFs</c>, which are left out without it.</param>
    /// <param name="health">The container's health record (podman's <c>State.Health</c>); empty when it has no healthcheck.</param>
    public static TemplateObject Build(ContainerConfig config, ContainerState state, ContainerStore store, ContainerSize? size = null, HealthState? health = null)
    {
        string directory = store.Directory(config.Id);
        string hostname = config.Hostname.Length > 0 ? config.Hostname : ContainerIds.Short(config.Id);
        // podman executes inspect templates on an []interface{}: its errors name the top level "interface {}".
        var view = new TemplateObject("interface {}")
        {
            ["Id"] = config.Id,
            ["Created"] = config.Created.ToUniversalTime(),
            ["Path"] = config.Args.Count > 0 ? config.Args[0] : string.Empty,
            ["Args"] = Strings(config.Args.Skip(1)),
            ["State"] = State(state, health ?? HealthState.None),
            ["Image"] = config.ImageId ?? string.Empty,
            ["ImageName"] = config.Image,
            ["Rootfs"] = config.RootfsPath ?? string.Empty,
            // The files the container gets bind-mounted over /etc (podman's and docker's fields).
            ["ResolvConfPath"] = Path.Combine(directory, "resolv.conf"),
            ["HostnamePath"] = Path.Combine(directory, "hostname"),
            ["HostsPath"] = config.NoHosts ? string.Empty : Path.Combine(directory, "hosts"),
            ["LogPath"] = store.LogPath(config),
            // The monitor's pid file (podman's conmon.pid), which a Type=forking systemd unit follows.
            ["ConmonPidFile"] = config.ConmonPidFile ?? store.MonitorPidFilePath(config.Id),
            // --pidfile's path ("" without it: the built-in runtime keeps no pid file of its own).
            ["PidFile"] = config.PidFile ?? string.Empty,
            ["Name"] = config.Name,
            ["Dependencies"] = Strings(Runtime.Lifecycle.ContainerDependencies.Of(config)),
            ["RestartCount"] = (long)state.RestartCount,
            ["Driver"] = config.RootfsPath is null ? "overlay" : string.Empty,
            ["OCIRuntime"] = Path.GetFileName(config.Runtime),
        };
        if (size is not null)
        {
            view["SizeRw"] = size.RwSize;
            view["SizeRootFs"] = size.RootFsSize;
        }

        view["Mounts"] = config.Mounts.Select(m => (object?)Mount(m)).ToList();
        view["Config"] = Config(config, hostname);
        view["HostConfig"] = HostConfig(config, store);
        view["NetworkSettings"] = NetworkSettings(config);
        return view;
    }

    /// <summary>Go's zero <c>time.Time</c>, which podman prints for a container that never started or finished.</summary>
    public static DateTimeOffset ZeroTime { get; } = DateTimeOffset.MinValue;

    private static TemplateObject State(ContainerState state, HealthState health) => new("*define.InspectContainerState")
    {
        ["Status"] = state.Status,
        ["Running"] = state.Running,
        ["Paused"] = state.Status == ContainerStatus.Paused,
        // podman 4.3 shows false also between a run's end and its restart (the status is then "exited").
        ["Restarting"] = false,
        ["OOMKilled"] = state.OomKilled,
        ["Dead"] = false,
        ["Pid"] = (long)(state.Running || state.Initialized ? state.Pid : 0),
        ["ExitCode"] = (long)state.ExitCode,
        ["Error"] = state.Error ?? string.Empty,
        ["StartedAt"] = state.StartedAt?.ToUniversalTime() ?? ZeroTime,
        ["FinishedAt"] = state.FinishedAt?.ToUniversalTime() ?? ZeroTime,
        ["Health"] = Health(health),
        ["ConmonPid"] = (long)state.MonitorPid,
    };

    /// <summary>podman 4.3's <c>define.HealthCheckResults</c>: the log's times are RFC 3339 strings there, and an empty log is null.</summary>
    private static TemplateObject Health(HealthState health) => new("define.HealthCheckResults")
    {
        ["Status"] = health.Status,
        ["FailingStreak"] = (long)health.FailingStreak,
        ["Log"] = health.Log.Count == 0 ? NilValue.List : health.Log.Select(entry => (object?)new TemplateObject("define.HealthCheckLog")
        {
            ["Start"] = GoTime(entry.Start),
            ["End"] = GoTime(entry.End),
            ["ExitCode"] = (long)entry.ExitCode,
            ["Output"] = entry.Output,
        }).ToList(),
    };

    /// <summary>Go's RFC3339Nano: UTC, trailing zeros of the fraction dropped.</summary>
    private static string GoTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", global::System.Globalization.CultureInfo.InvariantCulture);

    private static TemplateObject Mount(ContainerMount mount)
    {
        var value = new TemplateObject("define.InspectMount") { ["Type"] = mount.Type };
        if (mount.Name is not null)
        {
            value["Name"] = mount.Name;
        }

        value["Source"] = mount.Source;
        value["Destination"] = mount.Destination;
        value["Mode"] = string.Empty;
        value["RW"] = !mount.ReadOnly;
        value["Propagation"] = mount.Options.FirstOrDefault(o => o.EndsWith("private", StringComparison.Ordinal) || o.EndsWith("shared", StringComparison.Ordinal) || o.EndsWith("slave", StringComparison.Ordinal)) ?? "rprivate";
        return value;
    }

    private static TemplateObject Config(ContainerConfig config, string hostname)
    {
        var value = new TemplateObject("*define.InspectContainerConfig")
        {
            ["Hostname"] = hostname,
            ["User"] = config.User,
            ["AttachStdin"] = false,
            ["Tty"] = config.Tty,
            ["OpenStdin"] = config.OpenStdin,
            ["Env"] = Strings(BundleWriter.ProcessEnvironment(config, hostname)),
            ["Cmd"] = Strings(config.Cmd),
            ["Image"] = config.Image,
            ["WorkingDir"] = config.WorkingDir,
            ["Entrypoint"] = Strings(config.Entrypoint),
            ["Labels"] = TemplateMap.OfStrings(config.Labels),
            ["Annotations"] = TemplateMap.OfStrings(config.Annotations),
            // podman's number (docker's Go types have a string here, podman's an integer: neither reads the other's).
            ["StopSignal"] = (long)Skiff.Runtime.Process.Signals.Parse(config.StopSignal),
            ["StopTimeout"] = (long)config.StopTimeout,
        };
        if (config.Healthcheck is { } check)
        {
            value["Healthcheck"] = HealthConfigView.Build(check.Test, check.StartPeriod, check.Interval, check.Timeout, check.Retries);
        }

        value["HealthcheckOnFailureAction"] = config.Healthcheck?.OnFailure ?? HealthOnFailure.None;
        value["Timezone"] = config.Timezone ?? string.Empty;
        if (config.Systemd)
        {
            // podman's omitempty bool: there only when true.
            value["SystemdMode"] = true;
        }

        if (config.CreateCommand.Count > 0)
        {
            // podman's omitempty list.
            value["CreateCommand"] = Strings(config.CreateCommand);
        }

        value["Umask"] = ProcessFlags.FormatUmask(config.Umask ?? BundleWriter.DefaultUmask);
        if (config.Secrets.Any(s => s.IsMount))
        {
            // podman's omitempty list: the mounted secrets (env ones are not listed), never their values.
            value["Secrets"] = config.Secrets.Where(s => s.IsMount).Select(s => (object?)new TemplateObject("*define.InspectSecret")
            {
                ["Name"] = s.Name,
                ["ID"] = s.Id,
                ["UID"] = (long)s.Uid,
                ["GID"] = (long)s.Gid,
                ["Mode"] = (long)s.Mode,
            }).ToList();
        }

        value["Timeout"] = (long)(config.Timeout ?? 0);
        // podman's omitempty strings, in its lower-case spelling.
        value.SetOmitEmpty("sdNotifyMode", config.SdNotifyMode ?? string.Empty);
        value.SetOmitEmpty("sdNotifySocket", config.SdNotifySocket ?? string.Empty);

        return value;
    }

    /// <summary>podman's HostConfig.LogConfig: Config is always null there; Size is go-units' HumanSize of max-size ("0B" without).</summary>
    private static TemplateObject LogConfig(ContainerConfig config, ContainerStore store) => new("*define.InspectLogConfig")
    {
        ["Type"] = config.LogDriver,
        ["Config"] = null,
        ["Path"] = !Skiff.Runtime.Logs.LogDrivers.WritesFile(config.LogDriver) ? string.Empty : store.LogPath(config),
        ["Tag"] = config.LogTag ?? string.Empty,
        ["Size"] = Output.Humanize.Size(config.LogMaxSize ?? 0),
    };

    private static TemplateObject HostConfig(ContainerConfig config, ContainerStore store)
    {
        (IReadOnlyList<string> capAdd, IReadOnlyList<string> capDrop) = CapabilityView.Of(config);
        var host = new TemplateObject("*define.InspectContainerHostConfig")
        {
            ["NetworkMode"] = config.NetworkMode,
            // "" when --restart was not given, as podman shows it.
            ["RestartPolicy"] = new TemplateObject("*define.InspectRestartPolicy") { ["Name"] = config.RestartPolicy ?? string.Empty, ["MaximumRetryCount"] = (long)config.RestartRetries },
            ["AutoRemove"] = config.AutoRemove,
            ["ReadonlyRootfs"] = config.ReadOnlyRootfs,
            ["Init"] = config.Init,
            ["CgroupnsMode"] = config.CgroupNamespace ? "private" : "host",
        };
        ResourcesView.AddTo(host, config.Resources);
        host["LogConfig"] = LogConfig(config, store);
        host["Binds"] = Strings(config.Mounts.Where(m => m.Type == "bind").Select(m => $"{m.Source}:{m.Destination}{(m.ReadOnly ? ":ro" : string.Empty)}"));
        // podman's: each tmpfs's destination and its options as completed at create (rw, rprivate, nosuid, nodev, tmpcopyup).
        host["Tmpfs"] = TemplateMap.OfStrings(config.Mounts.Where(m => m.Type == "tmpfs").Select(m => KeyValuePair.Create(m.Destination, string.Join(',', m.Options))));
        host["GroupAdd"] = Strings(config.GroupAdd);
        host["Sysctls"] = TemplateMap.OfStrings(config.Sysctls);
        host["Ulimits"] = config.Ulimits.Where(u => u != BundleWriter.HostUlimits).Select(u => BundleWriter.ParseUlimit(u)).Select(u => (object?)new TemplateObject("define.InspectUlimit")
        {
            ["Name"] = u.Type,
            ["Soft"] = u.Soft,
            ["Hard"] = u.Hard,
        }).ToList();
        // docker's shape: podman 4.3 prints CgroupPermissions empty and DeviceCgroupRules null, both fixed later.
        host["Devices"] = config.Devices.Select(d => (object?)new TemplateObject("define.InspectDevice")
        {
            ["PathOnHost"] = d.PathOnHost,
            ["PathInContainer"] = d.PathInContainer,
            ["CgroupPermissions"] = d.Permissions,
        }).ToList();
        host["DeviceCgroupRules"] = config.DeviceCgroupRules.Count == 0 ? null : Strings(config.DeviceCgroupRules);
        // podman shows its default "64m" as 65536000 (a decimal parse) though the mount is 64 MiB.
        host["ShmSize"] = config.ShmSize ?? 65_536_000L;
        host["OomScoreAdj"] = (long)(config.OomScoreAdj ?? 0);
        host["CgroupParent"] = config.CgroupParent ?? string.Empty;
        // podman 4.3 prints "default" unless the mode is disabled.
        host["Cgroups"] = config.CgroupsMode == Runtime.Cgroups.CgroupsMode.Disabled ? config.CgroupsMode : "default";
        host["Privileged"] = config.Privileged;
        host["CapAdd"] = Strings(capAdd);
        host["CapDrop"] = Strings(capDrop);
        host["SecurityOpt"] = Strings(config.SecurityOpt);
        host["PortBindings"] = PortView.Map(config.Ports);
        host["PublishAllPorts"] = config.PublishAll;
        host["Dns"] = Strings(config.Dns);
        host["DnsSearch"] = Strings(config.DnsSearch);
        host["DnsOptions"] = Strings(config.DnsOptions);
        host["ExtraHosts"] = Strings(config.ExtraHosts);
        host["UsernsMode"] = config.UsernsMode;
        host["PidMode"] = Runtime.Namespaces.NamespaceMode.Parse(config.PidMode).Show();
        host["IpcMode"] = Runtime.Namespaces.NamespaceMode.Parse(config.IpcMode, ipc: true).Show(ipc: true);
        host["UTSMode"] = Runtime.Namespaces.NamespaceMode.Parse(config.UtsMode).Show();
        if (config.IdMappings is { } idMap)
        {
            // podman's shape: CONTAINER:HOST:SIZE strings (rootless, HOST counts in skiff's user namespace).
            host["IDMappings"] = new TemplateObject("*define.InspectIDMappings")
            {
                ["UidMap"] = Strings(idMap.Uids.Select(m => FormattableString.Invariant($"{m.ContainerId}:{m.HostId}:{m.Size}"))),
                ["GidMap"] = Strings(idMap.Gids.Select(m => FormattableString.Invariant($"{m.ContainerId}:{m.HostId}:{m.Size}"))),
            };
        }

        return host;
    }

    private static TemplateObject NetworkSettings(ContainerConfig config)
    {
        var networks = new TemplateMap();
        foreach (NetworkEndpoint endpoint in config.NetworkEndpoints)
        {
            // podman's per-network entry; the short id is an alias too, as podman resolves it.
            networks[endpoint.Network] = new TemplateObject("*define.InspectAdditionalNetwork")
            {
                ["EndpointID"] = string.Empty,
                ["Gateway"] = endpoint.Gateway,
                ["IPAddress"] = endpoint.IPAddress,
                ["IPPrefixLen"] = (long)endpoint.PrefixLength,
                ["IPv6Gateway"] = endpoint.Ipv6Gateway ?? string.Empty,
                ["GlobalIPv6Address"] = endpoint.Ipv6Address ?? string.Empty,
                ["GlobalIPv6PrefixLen"] = (long)(endpoint.Ipv6PrefixLength ?? 0),
                ["MacAddress"] = endpoint.MacAddress ?? string.Empty,
                ["NetworkID"] = endpoint.NetworkId,
                ["DriverOpts"] = NilValue.Map,
                ["IPAMConfig"] = null,
                ["Links"] = NilValue.List,
                ["Aliases"] = Strings([.. endpoint.Aliases, ContainerIds.Short(config.Id)]),
            };
        }

        return new TemplateObject("*define.InspectNetworkSettings")
        {
            ["IPAddress"] = string.Empty,
            // podman fills the top-level address fields for its default network only; a user-defined one's are per network.
            ["MacAddress"] = string.Empty,
            ["Ports"] = PortView.Map(config.Ports),
            ["Networks"] = networks,
        };
    }

    private static List<object?> Strings(IEnumerable<string> items) => items.Select(i => (object?)i).ToList();
}

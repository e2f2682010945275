using System.Globalization;
using System.Text;
using System.Text.Json;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>Docker-shaped presentations of a container: ps fields, inspect JSON, human durations.</summary>
public static class ContainerView
{
    public static string Command(ContainerConfig config)
    {
        string text = string.Join(' ', config.Args);
        return text;
    }

    public static string Status(ContainerState state, DateTimeOffset now) => state.Status switch
    {
        ContainerStatus.Running or ContainerStatus.Stopping => $"Up {Human(now - (state.StartedAt ?? now))}",
        ContainerStatus.Paused => $"Up {Human(now - (state.StartedAt ?? now))} (Paused)",
        ContainerStatus.Exited => $"Exited ({state.ExitCode.ToString(CultureInfo.InvariantCulture)}) {Human(now - (state.FinishedAt ?? now))} ago",
        _ => "Created",
    };

    /// <summary>docker's go-units HumanDuration.</summary>
    public static string Human(TimeSpan span)
    {
        double seconds = Math.Max(0, span.TotalSeconds);
        if (seconds < 1)
        {
            return "Less than a second";
        }

        if (seconds < 60)
        {
            return seconds < 2 ? "1 second" : $"{(int)seconds} seconds";
        }

        double minutes = span.TotalMinutes;
        if (minutes < 2)
        {
            return "About a minute";
        }

        if (minutes < 46)
        {
            return $"{(int)minutes} minutes";
        }

        double hours = span.TotalHours;
        if (hours < 1.5)
        {
            return "About an hour";
        }

        if (hours < 48)
        {
            return $"{(int)Math.Round(hours)} hours";
        }

        double days = span.TotalDays;
        if (days < 14)
        {
            return $"{(int)days} days";
        }

        if (days < 60)
        {
            return $"{(int)(days / 7)} weeks";
        }

        return days < 730 ? $"{(int)(days / 30)} months" : $"{(int)(days / 365)} years";
    }

    /// <summary>The object <c>ps --format</c> templates see (docker's field names).</summary>
    public static Dictionary<string, string> PsFields(ContainerConfig config, ContainerState state, DateTimeOffset now, bool noTrunc)
    {
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ID"] = noTrunc ? config.Id : ContainerIds.Short(config.Id),
            ["Image"] = config.Image,
            ["Command"] = Quote(noTrunc ? Command(config) : Truncate(Command(config), 20)),
            // podman's time.Time fields print as Go prints times; docker's CreatedAt is the same without the fraction.
            ["CreatedAt"] = Output.GoValues.FormatTime(config.Created.ToUniversalTime()),
            ["RunningFor"] = Human(now - config.Created) + " ago",
            ["Created"] = Output.GoValues.FormatTime(config.Created.ToUniversalTime()),
            ["Status"] = Status(state, now),
            ["State"] = state.Status,
            ["Names"] = config.Name,
            ["Labels"] = string.Join(',', config.Labels.Select(kv => $"{kv.Key}={kv.Value}")),
            ["Ports"] = PortView.Column(config.Ports),
            ["Mounts"] = string.Join(',', config.Mounts.Select(m => m.Destination)),
            ["Networks"] = config.NetworkEndpoints.Count > 0 ? string.Join(',', config.NetworkEndpoints.Select(e => e.Network)) : config.NetworkMode,
            ["Size"] = "0B",
            ["ExitCode"] = state.ExitCode.ToString(CultureInfo.InvariantCulture),
            ["Pid"] = state.Pid.ToString(CultureInfo.InvariantCulture),
        };
    }

    public static void WriteInspect(Utf8JsonWriter json, ContainerConfig config, ContainerState state, ContainerStore store)
    {
        json.WriteStartObject();
        json.WriteString("Id", config.Id);
        json.WriteString("Created", Rfc3339(config.Created));
        json.WriteString("Path", config.Args.Count > 0 ? config.Args[0] : string.Empty);
        WriteStrings(json, "Args", config.Args.Skip(1));
        json.WriteStartObject("State");
        json.WriteString("Status", state.Status);
        json.WriteBoolean("Running", state.Running);
        json.WriteBoolean("Paused", state.Status == ContainerStatus.Paused);
        json.WriteBoolean("Restarting", false);
        json.WriteBoolean("OOMKilled", state.OomKilled);
        json.WriteBoolean("Dead", false);
        json.WriteNumber("Pid", state.Running ? state.Pid : 0);
        json.WriteNumber("ExitCode", state.ExitCode);
        json.WriteString("Error", state.Error ?? string.Empty);
        json.WriteString("StartedAt", state.StartedAt is { } started ? Rfc3339(started) : "0001-01-01T00:00:00Z");
        json.WriteString("FinishedAt", state.FinishedAt is { } finished ? Rfc3339(finished) : "0001-01-01T00:00:00Z");
        json.WriteNumber("ConmonPid", state.MonitorPid);
        json.WriteEndObject();
        json.WriteString("Image", config.ImageId ?? string.Empty);
        json.WriteString("ImageName", config.Image);
        json.WriteString("Rootfs", config.RootfsPath ?? string.Empty);
        // The files the container gets bind-mounted over /etc (podman's and docker's fields).
        json.WriteString("ResolvConfPath", Path.Combine(store.Directory(config.Id), "resolv.conf"));
        json.WriteString("HostnamePath", Path.Combine(store.Directory(config.Id), "hostname"));
        json.WriteString("HostsPath", Path.Combine(store.Directory(config.Id), "hosts"));
        json.WriteString("LogPath", store.LogPath(config.Id));
        json.WriteString("Name", config.Name);
        json.WriteNumber("RestartCount", state.RestartCount);
        json.WriteString("Driver", config.RootfsPath is null ? "overlay" : string.Empty);
        json.WriteString("OCIRuntime", Path.GetFileName(config.Runtime));
        json.WriteStartArray("Mounts");
        foreach (ContainerMount mount in config.Mounts)
        {
            json.WriteStartObject();
            json.WriteString("Type", mount.Type);
            if (mount.Name is not null)
            {
                json.WriteString("Name", mount.Name);
            }

            json.WriteString("Source", mount.Source);
            json.WriteString("Destination", mount.Destination);
            json.WriteString("Mode", string.Empty);
            json.WriteBoolean("RW", !mount.ReadOnly);
            json.WriteString("Propagation", mount.Options.FirstOrDefault(o => o.EndsWith("private", StringComparison.Ordinal) || o.EndsWith("shared", StringComparison.Ordinal) || o.EndsWith("slave", StringComparison.Ordinal)) ?? "rprivate");
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("Config");
        string hostname = config.Hostname.Length > 0 ? config.Hostname : ContainerIds.Short(config.Id);
        json.WriteString("Hostname", hostname);
        json.WriteString("User", config.User);
        json.WriteBoolean("AttachStdin", false);
        json.WriteBoolean("Tty", config.Tty);
        json.WriteBoolean("OpenStdin", config.OpenStdin);
        WriteStrings(json, "Env", BundleWriter.ProcessEnvironment(config, hostname));
        WriteStrings(json, "Cmd", config.Cmd);
        json.WriteString("Image", config.Image);
        json.WriteString("WorkingDir", config.WorkingDir);
        WriteStrings(json, "Entrypoint", config.Entrypoint);
        json.WriteStartObject("Labels");
        foreach ((string key, string value) in config.Labels)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
        // podman's number (docker's Go types have a string here, podman's an integer: neither reads the other's).
        json.WriteNumber("StopSignal", Skiff.Runtime.Process.Signals.Parse(config.StopSignal));
        json.WriteNumber("StopTimeout", config.StopTimeout);
        json.WriteEndObject();
        json.WriteStartObject("HostConfig");
        json.WriteString("NetworkMode", config.NetworkMode);
        // skiff has no restart policies: podman's "none" shape.
        json.WriteStartObject("RestartPolicy");
        json.WriteString("Name", string.Empty);
        json.WriteNumber("MaximumRetryCount", 0);
        json.WriteEndObject();
        json.WriteBoolean("AutoRemove", config.AutoRemove);
        json.WriteBoolean("ReadonlyRootfs", config.ReadOnlyRootfs);
        json.WriteBoolean("Init", config.Init);
        json.WriteString("CgroupnsMode", config.CgroupNamespace ? "private" : "host");
        ResourcesView.Write(json, config.Resources);
        json.WriteStartObject("LogConfig");
        json.WriteString("Type", config.LogDriver);
        json.WriteEndObject();
        WriteStrings(json, "Binds", config.Mounts.Where(m => m.Type == "bind").Select(m => $"{m.Source}:{m.Destination}{(m.ReadOnly ? ":ro" : string.Empty)}"));
        WriteStrings(json, "GroupAdd", config.GroupAdd);
        json.WriteStartObject("Sysctls");
        foreach ((string key, string value) in config.Sysctls)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
        json.WriteStartArray("Ulimits");
        foreach (string ulimit in config.Ulimits)
        {
            (string type, long soft, long hard) = BundleWriter.ParseUlimit(ulimit);
            json.WriteStartObject();
            json.WriteString("Name", type);
            json.WriteNumber("Soft", soft);
            json.WriteNumber("Hard", hard);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteBoolean("Privileged", config.Privileged);
        (IReadOnlyList<string> capAdd, IReadOnlyList<string> capDrop) = CapabilityView.Of(config);
        WriteStrings(json, "CapAdd", capAdd);
        WriteStrings(json, "CapDrop", capDrop);
        WriteStrings(json, "SecurityOpt", config.SecurityOpt);
        PortView.WriteMap(json, "PortBindings", config.Ports);
        json.WriteBoolean("PublishAllPorts", config.PublishAll);
        WriteStrings(json, "Dns", config.Dns);
        WriteStrings(json, "DnsSearch", config.DnsSearch);
        WriteStrings(json, "DnsOptions", config.DnsOptions);
        WriteStrings(json, "ExtraHosts", config.ExtraHosts);
        json.WriteString("UsernsMode", config.UsernsMode);
        if (config.IdMappings is { } idMap)
        {
            // podman's shape: CONTAINER:HOST:SIZE strings (rootless, HOST counts in skiff's user namespace).
            json.WriteStartObject("IDMappings");
            WriteStrings(json, "UidMap", idMap.Uids.Select(m => FormattableString.Invariant($"{m.ContainerId}:{m.HostId}:{m.Size}")));
            WriteStrings(json, "GidMap", idMap.Gids.Select(m => FormattableString.Invariant($"{m.ContainerId}:{m.HostId}:{m.Size}")));
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteStartObject("NetworkSettings");
        json.WriteString("IPAddress", string.Empty);
        PortView.WriteMap(json, "Ports", config.Ports);
        json.WriteStartObject("Networks");
        foreach (NetworkEndpoint endpoint in config.NetworkEndpoints)
        {
            // podman's per-network entry; the short id is an alias too, as podman resolves it.
            json.WriteStartObject(endpoint.Network);
            json.WriteString("EndpointID", string.Empty);
            json.WriteString("Gateway", endpoint.Gateway);
            json.WriteString("IPAddress", endpoint.IPAddress);
            json.WriteNumber("IPPrefixLen", endpoint.PrefixLength);
            json.WriteString("IPv6Gateway", string.Empty);
            json.WriteString("GlobalIPv6Address", string.Empty);
            json.WriteNumber("GlobalIPv6PrefixLen", 0);
            json.WriteString("MacAddress", string.Empty);
            json.WriteString("NetworkID", endpoint.NetworkId);
            json.WriteNull("DriverOpts");
            json.WriteNull("IPAMConfig");
            json.WriteNull("Links");
            WriteStrings(json, "Aliases", [.. endpoint.Aliases, ContainerIds.Short(config.Id)]);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Go's RFC 3339 with nanoseconds (trailing zeros dropped), as podman's JSON writes times.</summary>
    public static string Rfc3339(DateTimeOffset time) => Output.GoValues.FormatRfc3339Nano(time.ToUniversalTime());

    /// <summary>The inspect fields that are times: a template prints them as Go prints a time.Time (podman).</summary>
    public static readonly IReadOnlyList<string> InspectTimes = ["Created", "State.StartedAt", "State.FinishedAt"];

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> items)
    {
        json.WriteStartArray(name);
        foreach (string item in items)
        {
            json.WriteStringValue(item);
        }

        json.WriteEndArray();
    }

    private static string Truncate(string text, int length) => text.Length > length ? text[..(length - 3)] + "..." : text;

    private static string Quote(string text) => '"' + text + '"';

    public static string Encode(Action<Utf8JsonWriter> write)
    {
        var buffer = new global::System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = global::System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

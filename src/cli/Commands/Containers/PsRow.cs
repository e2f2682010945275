using Skiff.Cli.Output;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// One line of <c>skiff ps</c> as templates see it: podman 4.3's <c>containers.psReporter</c> (its field
/// names and how each prints: <c>Command</c> joined and cut at 17 characters, <c>Names</c> a string,
/// <c>Labels</c> a map, <c>Mounts</c> a list, <c>StartedAt</c>/<c>ExitedAt</c> Unix seconds), and the
/// <c>--format json</c> object (podman's <c>entities.ListContainer</c>).
/// </summary>
public static class PsRow
{
    public const string TypeName = "containers.psReporter";

    /// <summary>Go's zero time.Time as Unix seconds: what podman prints for a container that never started or exited.</summary>
    public const long ZeroUnix = -62135596800;

    /// <summary>podman's per-namespace columns (filled only by its <c>--ns</c>, which skiff does not have).</summary>
    private static readonly string[] NamespaceFields = ["Cgroup", "IPC", "MNT", "NET", "PIDNS", "User", "UTS"];

    public static readonly string[] Fields =
    [
        "AutoRemove", "Command", "Created", "CreatedAt", "CreatedHuman", "Exited", "ExitedAt", "ExitCode", "ID", "Image", "ImageID",
        "IsInfra", "Labels", "Mounts", "Names", "Namespaces", "Networks", "Pid", "Pod", "PodName", "Ports", "RunningFor", "Size",
        "StartedAt", "State", "Status", .. NamespaceFields,
    ];

    /// <summary>podman's column titles where they are not the field name split at capitals.</summary>
    public static readonly IReadOnlyDictionary<string, string> Titles = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ID"] = "CONTAINER ID",
        ["Created"] = "CREATED",
        ["CreatedHuman"] = "CREATED",
        ["Pod"] = "POD ID",
        ["PodName"] = "PODNAME",
        ["Cgroup"] = "CGROUPNS",
        ["User"] = "USERNS",
    };

    /// <param name="size">Measured with <c>--size</c>; without it <c>{{.Size}}</c> prints nothing, as podman's.</param>
    /// <param name="health">The container's health status (healthy, unhealthy, starting), empty without a healthcheck.</param>
    public static TemplateObject Build(ContainerConfig config, ContainerState state, DateTimeOffset now, bool noTrunc, ContainerSize? size = null, string health = "")
    {
        string created = ContainerView.Human(now - config.Created) + " ago";
        string command = ContainerView.Command(config);
        string imageId = ImageHex(config);
        var row = new TemplateObject(TypeName, Fields.Length)
        {
            ["AutoRemove"] = config.AutoRemove,
            ["Command"] = noTrunc || command.Length <= 17 ? command : command[..17] + "...",
            ["Created"] = config.Created.ToUniversalTime(),
            ["CreatedAt"] = GoValues.FormatTime(config.Created.ToUniversalTime()),
            ["CreatedHuman"] = created,
            ["Exited"] = state.Status == ContainerStatus.Exited,
            ["ExitedAt"] = ExitedAt(state),
            ["ExitCode"] = (long)state.ExitCode,
            ["ID"] = noTrunc ? config.Id : ContainerIds.Short(config.Id),
            ["Image"] = config.Image,
            ["ImageID"] = noTrunc ? imageId : ContainerIds.Short(imageId),
            ["IsInfra"] = false,
            ["Labels"] = Labels(config),
            ["Mounts"] = Mounts(config),
            ["Names"] = config.Name,
            ["Namespaces"] = Namespaces(),
            ["Networks"] = string.Join(',', Networks(config)),
            ["Pid"] = (long)(state.Running || state.Initialized ? state.Pid : 0),
            ["Pod"] = string.Empty,
            ["PodName"] = string.Empty,
            ["Ports"] = PortView.Column(config.Ports),
            ["RunningFor"] = created,
            ["Size"] = size?.Column ?? string.Empty,
            ["StartedAt"] = StartedAt(state),
            // podman 4.3 prints the status here too; docker and podman 4.4+ print the state, which is what scripts test.
            ["State"] = state.Status,
            ["Status"] = Status(state, now, health),
        };
        foreach (string ns in NamespaceFields)
        {
            row[ns] = string.Empty;
        }

        return row;
    }

    /// <summary>podman's <c>ps --format json</c> element (<c>Size</c> null without <c>--size</c>).</summary>
    public static TemplateObject Json(ContainerConfig config, ContainerState state, DateTimeOffset now, ContainerSize? size = null, string health = "") => new("entities.ListContainer")
    {
        ["AutoRemove"] = config.AutoRemove,
        ["Command"] = config.Args.Count == 0 ? NilValue.List : config.Args.Cast<object?>().ToList(),
        ["CreatedAt"] = ContainerView.Human(now - config.Created) + " ago",
        ["Exited"] = state.Status == ContainerStatus.Exited,
        ["ExitedAt"] = ExitedAt(state),
        ["ExitCode"] = (long)state.ExitCode,
        ["Id"] = config.Id,
        ["Image"] = config.Image,
        ["ImageID"] = ImageHex(config),
        ["IsInfra"] = false,
        ["Labels"] = config.Labels.Count == 0 ? NilValue.Map : TemplateMap.OfStrings(config.Labels),
        ["Mounts"] = Mounts(config),
        ["Names"] = new List<object?> { config.Name },
        ["Namespaces"] = new TemplateMap(),
        ["Networks"] = Networks(config).Cast<object?>().ToList(),
        ["Pid"] = (long)(state.Running || state.Initialized ? state.Pid : 0),
        ["Pod"] = string.Empty,
        ["PodName"] = string.Empty,
        ["Ports"] = config.Ports.Count == 0 ? NilValue.List : PortView.Sorted(config.Ports).Select(p => (object?)new TemplateObject("types.PortMapping")
        {
            ["host_ip"] = p.HostIp,
            ["container_port"] = (long)p.ContainerPort,
            ["host_port"] = (long)p.HostPort,
            ["range"] = 1L,
            ["protocol"] = p.Protocol,
        }).ToList(),
        ["Size"] = size is null ? null : new TemplateObject("define.ContainerSize") { ["rootFsSize"] = size.RootFsSize, ["rwSize"] = size.RwSize },
        ["StartedAt"] = StartedAt(state),
        ["State"] = state.Status,
        ["Status"] = Status(state, now, health),
        ["Created"] = config.Created.ToUnixTimeSeconds(),
    };

    /// <summary>
    /// podman 4.3's STATUS column: <c>Up 5 minutes ago</c>, <c>Exited (0) 2 seconds ago</c>, <c>Created</c>, <c>Paused</c>, and the
    /// health status after it for a container with a healthcheck (<c>Up 5 seconds ago (healthy)</c>; podman keeps it after the exit too).
    /// </summary>
    public static string Status(ContainerState state, DateTimeOffset now, string health = "") =>
        health.Length == 0 ? Status(state, now) : $"{Status(state, now)} ({health})";

    private static string Status(ContainerState state, DateTimeOffset now) => state.Status switch
    {
        ContainerStatus.Running or ContainerStatus.Stopping => $"Up {ContainerView.Human(now - (state.StartedAt ?? now))} ago",
        ContainerStatus.Paused => "Paused",
        ContainerStatus.Exited => FormattableString.Invariant($"Exited ({state.ExitCode}) {ContainerView.Human(now - (state.FinishedAt ?? now))} ago"),
        ContainerStatus.Created => "Created",
        ContainerStatus.Initialized => "Initialized",
        _ => state.Status,
    };

    private static string ImageHex(ContainerConfig config) =>
        config.ImageId is { } id && id.StartsWith("sha256:", StringComparison.Ordinal) ? id["sha256:".Length..] : config.ImageId ?? string.Empty;

    private static long StartedAt(ContainerState state) => state.StartedAt?.ToUnixTimeSeconds() ?? ZeroUnix;

    private static long ExitedAt(ContainerState state) =>
        state.Status == ContainerStatus.Exited && state.FinishedAt is { } finished ? finished.ToUnixTimeSeconds() : ZeroUnix;

    private static object Labels(ContainerConfig config) => config.Labels.Count == 0 ? NilValue.Map : TemplateMap.OfStrings(config.Labels);

    private static List<object?> Mounts(ContainerConfig config) => config.Mounts.Select(m => (object?)m.Destination).ToList();

    /// <summary>The networks the container is attached to by name (podman lists none for host, none or slirp4netns/pasta).</summary>
    private static IEnumerable<string> Networks(ContainerConfig config) => config.NetworkEndpoints.Select(e => e.Network);

    /// <summary>A struct of empty strings, as podman prints it without <c>--ns</c>.</summary>
    private static TemplateObject Namespaces()
    {
        var namespaces = new TemplateObject("entities.ListContainerNamespaces");
        foreach (string ns in NamespaceFields)
        {
            namespaces[ns] = string.Empty;
        }

        return namespaces;
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Skiff.Cli.Flags;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// podman's container <c>--filter KEY=VALUE</c> (ps, and stop/rm/restart/pause/unpause/start): every filter must
/// match. Checked whole when built, so a bad filter is an error even when no container is there to test it on.
/// Image names (<c>ancestor=</c>) are resolved once per value, health records read only for containers with a check.
/// </summary>
public sealed class ContainerFilter
{
    private readonly IReadOnlyList<KeyValuePair<string, string>> filters;
    private readonly Lazy<Skiff.Images.Local.LocalImages> images;
    private readonly Runtime.Health.HealthStore healthStore;
    private readonly Dictionary<string, string?> ancestorIds = new(StringComparer.Ordinal);

    /// <exception cref="SkiffException">A filter is not KEY=VALUE, or its key or value is not one podman knows.</exception>
    public ContainerFilter(IReadOnlyList<string> filters, Lazy<Skiff.Images.Local.LocalImages> images, ContainerStore store)
    {
        this.filters = filters.Select(Parse).ToList();
        this.images = images;
        healthStore = new Runtime.Health.HealthStore(store.Directory);
    }

    public bool IsEmpty => filters.Count == 0;

    /// <summary>The container's health status, empty when it has no healthcheck (containers without one print and filter as "no healthcheck").</summary>
    public string Health(ContainerConfig config) => config.Healthcheck is { Enabled: true } ? healthStore.Read(config.Id).Status : string.Empty;

    public bool Matches(ContainerConfig config, ContainerState state) => filters.All(f => Matches(f.Key, f.Value, config, state));

    /// <summary>podman's check of one filter; the pair it names.</summary>
    /// <exception cref="SkiffException">The filter is not one podman takes.</exception>
    public static KeyValuePair<string, string> Parse(string filter)
    {
        string[] parts = filter.Split('=', 2);
        if (parts.Length != 2)
        {
            throw SkiffException.InvalidArgument($"invalid filter \"{filter}\"", "use --filter KEY=VALUE");
        }

        if (parts[0] is not ("status" or "name" or "id" or "label" or "ancestor" or "exited" or "health"))
        {
            throw SkiffException.InvalidArgument($"invalid filter \"{parts[0]}\"", "use status, name, id, label, ancestor, exited or health");
        }

        // docker's states and podman's (stopped, unknown); anything else is a typo that would list nothing.
        if (parts[0] == "status" && parts[1] is not ("created" or "restarting" or "running" or "removing" or "paused" or "exited" or "dead" or "stopped" or "stopping" or "unknown"))
        {
            throw SkiffException.InvalidArgument($"unknown container state: {parts[1]}", "use status=created, running, paused, exited, restarting, removing or dead");
        }

        if (parts[0] == "exited" && !int.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            throw SkiffException.InvalidArgument($"exited code out of range \"{parts[1]}\"", "use exited=CODE, a number such as exited=0 or exited=137");
        }

        if (parts[0] == "health" && parts[1] is not ("healthy" or "unhealthy" or "starting" or "none"))
        {
            throw SkiffException.InvalidArgument($"invalid health filter \"{parts[1]}\"", "use health=healthy, unhealthy, starting or none");
        }

        return new(parts[0], parts[1]);
    }

    private bool Matches(string key, string value, ContainerConfig config, ContainerState state) => key switch
    {
        "status" => state.Status == value || (value == "running" && state.Running && state.Status != ContainerStatus.Paused),
        "name" => Regex.IsMatch(config.Name, value),
        "id" => config.Id.StartsWith(value, StringComparison.Ordinal),
        "label" => LabelFilter.Matches(config.Labels, value),
        // An ancestor is looked up as an image too: a container records the full name (localhost/busybox:latest).
        "ancestor" => config.Image == value || config.Image.StartsWith(value + ":", StringComparison.Ordinal) || config.ImageId == value
            || (config.ImageId is not null && AncestorId(value) == config.ImageId),
        "exited" => state.Status == ContainerStatus.Exited && state.ExitCode.ToString(CultureInfo.InvariantCulture) == value,
        // none: no healthcheck (docker's meaning; podman 4.3 matches nothing for it).
        "health" => value == "none" ? config.Healthcheck is not { Enabled: true } : Health(config) == value,
        _ => false,
    };

    private string? AncestorId(string value)
    {
        if (!ancestorIds.TryGetValue(value, out string? imageId))
        {
            imageId = images.Value.Images.TryResolve(value)?.Id;
            ancestorIds[value] = imageId;
        }

        return imageId;
    }
}

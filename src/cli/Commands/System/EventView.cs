using Skiff.Cli.Output;
using Skiff.Core.Events;

namespace Skiff.Cli.Commands.System;

/// <summary>An event as podman 4.3 prints it: its human-readable line, and the fields its templates see.</summary>
public static class EventView
{
    /// <summary>
    /// podman's ToHumanReadable: <c>TIME container STATUS ID (image=IMAGE, name=NAME, LABEL=VALUE…)</c>,
    /// <c>TIME image STATUS ID NAME</c>, <c>TIME volume STATUS NAME</c>; the time is Go's, in the local zone.
    /// </summary>
    public static string Line(EngineEvent e, bool truncate)
    {
        string time = GoValues.FormatTime(e.Time.ToLocalTime());
        string id = e.Id ?? string.Empty;
        if (truncate && id.Length > 12)
        {
            id = id[..12];
        }

        switch (e.Type)
        {
            case "container":
            case "pod":
                var line = new global::System.Text.StringBuilder($"{time} {e.Type} {e.Status} {id} (image={e.Image}, name={e.Name}");
                if (e.HealthStatus is { Length: > 0 } health)
                {
                    line.Append($", health_status={health}");
                }

                foreach ((string key, string value) in (e.Attributes ?? new Dictionary<string, string>()).OrderBy(a => a.Key, StringComparer.Ordinal))
                {
                    line.Append($", {key}={value}");
                }

                return line.Append(')').ToString();
            case "image":
                return $"{time} image {e.Status} {id} {e.Name}";
            case "network" when e.Network is not null:
                return $"{time} network {e.Status} {id} (container={id}, name={e.Network})";
            case "system":
                return e.Name is { Length: > 0 } ? $"{time} system {e.Status} {e.Name}" : $"{time} system {e.Status}";
            default:
                return $"{time} {e.Type} {e.Status} {e.Name}";
        }
    }

    /// <summary>podman's events.Event fields, for <c>--format TEMPLATE</c>.</summary>
    public static TemplateObject Template(EngineEvent e) => new("events.Event")
    {
        ["ContainerExitCode"] = (long)(e.ContainerExitCode ?? 0),
        ["ID"] = e.Id ?? string.Empty,
        ["Image"] = e.Image ?? string.Empty,
        ["Name"] = e.Name ?? string.Empty,
        ["Network"] = e.Network ?? string.Empty,
        ["Status"] = e.Status,
        ["Time"] = e.Time.ToLocalTime(),
        ["Type"] = e.Type,
        ["HealthStatus"] = e.HealthStatus ?? string.Empty,
        ["Attributes"] = TemplateMap.OfStrings(e.Attributes ?? new Dictionary<string, string>()),
    };
}

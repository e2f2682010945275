using Skiff.Core.Errors;
using Skiff.Core.Events;

namespace Skiff.Cli.Commands.System;

/// <summary>
/// <c>events --filter KEY=VALUE</c>, podman 4.3's keys: container, event, image, label, pod, volume, type (and network).
/// Values of one key are alternatives; different keys must all match. A name or a full or shortened id matches.
/// </summary>
public sealed class EventFilter
{
    private static readonly string[] Keys = ["container", "event", "image", "label", "pod", "volume", "type", "network"];

    private readonly Dictionary<string, List<string>> values = new(StringComparer.Ordinal);

    public static EventFilter Parse(IEnumerable<string> filters)
    {
        var filter = new EventFilter();
        foreach (string text in filters)
        {
            string[] parts = text.Split('=', 2);
            if (parts.Length != 2 || !Keys.Contains(parts[0]))
            {
                throw SkiffException.InvalidArgument($"{text} is an invalid filter", $"use one of {string.Join(", ", Keys.Select(k => k + "="))}");
            }

            if (!filter.values.TryGetValue(parts[0], out List<string>? list))
            {
                filter.values[parts[0]] = list = [];
            }

            list.Add(parts[1]);
        }

        return filter;
    }

    public bool Matches(EngineEvent e)
    {
        foreach ((string key, List<string> accepted) in values)
        {
            if (!accepted.Exists(value => Matches(e, key, value)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Matches(EngineEvent e, string key, string value) => key switch
    {
        "type" => e.Type == value,
        "event" => e.Status == value || (value == "died" && e.Status == "exited"),
        "container" => e.Type == "container" && NameOrId(e, value),
        "volume" => e.Type == "volume" && NameOrId(e, value),
        "network" => e.Type == "network" && (NameOrId(e, value) || e.Network == value),
        "pod" => e.Type == "pod" && NameOrId(e, value),
        "image" => e.Type == "image" ? NameOrId(e, value) : e.Type == "container" && (e.Image == value || ImageNameMatches(e.Image, value)),
        "label" => Label(e, value),
        _ => false,
    };

    private static bool NameOrId(EngineEvent e, string value) =>
        e.Name == value || (e.Id is { } id && value.Length > 0 && id.StartsWith(value.StartsWith("sha256:", StringComparison.Ordinal) ? value[7..] : value, StringComparison.Ordinal));

    /// <summary>"busybox" or "busybox:latest" for "localhost/busybox:latest".</summary>
    private static bool ImageNameMatches(string? image, string value) =>
        image is not null && (image.EndsWith("/" + value, StringComparison.Ordinal) || image.EndsWith("/" + value + ":latest", StringComparison.Ordinal));

    private static bool Label(EngineEvent e, string value)
    {
        if (e.Attributes is null)
        {
            return false;
        }

        string[] parts = value.Split('=', 2);
        return e.Attributes.TryGetValue(parts[0], out string? actual) && (parts.Length == 1 || actual == parts[1]);
    }
}

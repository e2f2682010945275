using Skiff.Cli.Flags;
using Skiff.Core.Errors;
using Skiff.Runtime.Volumes;

namespace Skiff.Cli.Commands.Volumes;

/// <summary>
/// podman's <c>volume ls/prune --filter</c>: name (substring), driver, label (key or key=value),
/// label! (negated), dangling (true/false: used by no container), until (a time or a duration ago).
/// Different keys must all match; values of one key are alternatives.
/// </summary>
public sealed class VolumeFilter
{
    private readonly Dictionary<string, List<string>> filters;

    /// <summary>The times the until= values name, read once so a bad one fails even with no volume to test.</summary>
    private readonly List<DateTimeOffset> untils;

    private VolumeFilter(Dictionary<string, List<string>> filters, List<DateTimeOffset> untils)
    {
        this.filters = filters;
        this.untils = untils;
    }

    public static VolumeFilter Parse(IEnumerable<string> values, DateTimeOffset now)
    {
        var filters = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string value in values)
        {
            string[] parts = value.Split('=', 2);
            if (parts.Length != 2)
            {
                throw SkiffException.InvalidArgument($"invalid filter \"{value}\": bad format of filter (expected name=value)");
            }

            if (parts[0] is not ("name" or "driver" or "label" or "label!" or "dangling" or "until" or "scope"))
            {
                throw SkiffException.InvalidArgument($"invalid filter \"{parts[0]}\"", "use name, driver, label, label!, dangling, until or scope");
            }

            if (parts[0] == "dangling" && parts[1] is not ("true" or "false" or "1" or "0"))
            {
                throw SkiffException.InvalidArgument($"invalid dangling filter value \"{parts[1]}\"", "use dangling=true or dangling=false");
            }

            if (!filters.TryGetValue(parts[0], out List<string>? list))
            {
                filters[parts[0]] = list = [];
            }

            list.Add(parts[1]);
        }

        List<DateTimeOffset> untils = filters.TryGetValue("until", out List<string>? times) ? times.Select(t => UntilFilter.Parse(t, now)).ToList() : [];
        return new VolumeFilter(filters, untils);
    }

    public bool Matches(VolumeRecord volume, Func<bool> inUse)
    {
        foreach ((string key, List<string> values) in filters)
        {
            bool match = key switch
            {
                "name" => values.Any(v => volume.Name.Contains(v, StringComparison.Ordinal)),
                "driver" => values.Any(v => v == volume.Driver),
                "scope" => values.Any(v => v == "local"),
                "label" => values.Any(v => LabelFilter.Matches(volume.Labels, v)),
                "label!" => !values.Any(v => LabelFilter.Matches(volume.Labels, v)),
                "dangling" => values.Any(v => (v is "true" or "1") != inUse()),
                "until" => untils.Any(until => volume.CreatedAt < until),
                _ => true,
            };
            if (!match)
            {
                return false;
            }
        }

        return true;
    }
}

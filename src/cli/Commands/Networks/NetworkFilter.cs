using Skiff.Cli.Flags;
using Skiff.Core.Errors;
using Skiff.Rootless.Network.Bridge;

namespace Skiff.Cli.Commands.Networks;

/// <summary>
/// podman's <c>network ls/prune --filter</c>: name (substring), id (prefix), driver, label (key or key=value), until
/// (one time or duration ago: created before it). Different keys must all match; values of one key are alternatives.
/// </summary>
public sealed class NetworkFilter
{
    private readonly Dictionary<string, List<string>> filters;
    private readonly DateTimeOffset? until;

    private NetworkFilter(Dictionary<string, List<string>> filters, DateTimeOffset? until)
    {
        this.filters = filters;
        this.until = until;
    }

    public static NetworkFilter Parse(IEnumerable<string> values, DateTimeOffset now)
    {
        var filters = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string value in values)
        {
            string[] parts = value.Split('=', 2);
            if (parts.Length != 2)
            {
                throw SkiffException.InvalidArgument($"invalid filter \"{value}\": bad format of filter (expected name=value)");
            }

            if (parts[0] is not ("name" or "id" or "driver" or "label" or "until"))
            {
                throw SkiffException.InvalidArgument($"invalid filter \"{parts[0]}\"", "use name, id, driver, label or until");
            }

            if (!filters.TryGetValue(parts[0], out List<string>? list))
            {
                filters[parts[0]] = list = [];
            }

            list.Add(parts[1]);
        }

        DateTimeOffset? until = UntilFilter.ParseOne(filters.GetValueOrDefault("until") ?? [], now);
        filters.Remove("until");
        return new NetworkFilter(filters, until);
    }

    public bool Matches(NetworkRecord network)
    {
        if (until is DateTimeOffset cutoff && network.Created >= cutoff)
        {
            return false;
        }

        foreach ((string key, List<string> values) in filters)
        {
            bool match = key switch
            {
                "name" => values.Any(v => network.Name.Contains(v, StringComparison.Ordinal)),
                "id" => values.Any(v => network.Id.StartsWith(v, StringComparison.Ordinal)),
                "driver" => values.Any(v => v == network.Driver),
                _ => values.Any(v => LabelFilter.Matches(network.Labels, v)),
            };
            if (!match)
            {
                return false;
            }
        }

        return true;
    }
}

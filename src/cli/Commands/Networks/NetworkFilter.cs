using Skiff.Cli.Flags;
using Skiff.Core.Errors;
using Skiff.Rootless.Network.Bridge;

namespace Skiff.Cli.Commands.Networks;

/// <summary>
/// podman's <c>network ls --filter</c>: name (substring), id (prefix), driver, label (key or key=value).
/// Different keys must all match; values of one key are alternatives.
/// </summary>
public sealed class NetworkFilter
{
    private readonly Dictionary<string, List<string>> filters;

    private NetworkFilter(Dictionary<string, List<string>> filters) => this.filters = filters;

    public static NetworkFilter Parse(IEnumerable<string> values)
    {
        var filters = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string value in values)
        {
            string[] parts = value.Split('=', 2);
            if (parts.Length != 2)
            {
                throw SkiffException.InvalidArgument($"invalid filter \"{value}\": bad format of filter (expected name=value)");
            }

            if (parts[0] is not ("name" or "id" or "driver" or "label"))
            {
                throw SkiffException.InvalidArgument($"invalid filter \"{parts[0]}\"", "use name, id, driver or label");
            }

            if (!filters.TryGetValue(parts[0], out List<string>? list))
            {
                filters[parts[0]] = list = [];
            }

            list.Add(parts[1]);
        }

        return new NetworkFilter(filters);
    }

    public bool Matches(NetworkRecord network)
    {
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

using Skiff.Core.Errors;
using Skiff.Runtime.Secrets;

namespace Skiff.Cli.Commands.Secrets;

/// <summary>
/// <c>secret ls --filter</c>: podman 4.3 knows <c>name=</c> and <c>id=</c>, each matching a part of the name or id;
/// values of one key are alternatives, different keys must all match.
/// </summary>
public sealed class SecretFilter
{
    private readonly List<string> names = [];
    private readonly List<string> ids = [];

    public static SecretFilter Parse(IEnumerable<string> values)
    {
        var filter = new SecretFilter();
        foreach (string value in values)
        {
            int equals = value.IndexOf('=');
            if (equals <= 0)
            {
                throw SkiffException.InvalidArgument($"invalid filter \"{value}\"", "use name=NAME or id=ID");
            }

            string key = value[..equals];
            string wanted = value[(equals + 1)..];
            switch (key)
            {
                case "name":
                    filter.names.Add(wanted);
                    break;
                case "id":
                    filter.ids.Add(wanted);
                    break;
                default:
                    throw SkiffException.InvalidArgument($"invalid filter \"{key}\"", "use name=NAME or id=ID");
            }
        }

        return filter;
    }

    public bool Matches(SecretRecord record) =>
        (names.Count == 0 || names.Exists(n => record.Name.Contains(n, StringComparison.Ordinal)))
        && (ids.Count == 0 || ids.Exists(i => record.Id.Contains(i, StringComparison.Ordinal)));
}

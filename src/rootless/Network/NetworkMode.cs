using Skiff.Core.Errors;

namespace Skiff.Rootless.Network;

/// <summary>
/// --network: none, host, pasta[:OPTIONS], slirp4netns[:OPTIONS] (options comma-separated, as podman),
/// container:NAME|ID or ns:PATH (another container's or a file's namespace, joined), or the
/// name of a user-defined network with its options, NAME[:OPTIONS] (<see cref="NetworkKind.Bridge"/>; whether it
/// exists is checked at create, its options are read by <see cref="NetworkAttachment"/>).
/// </summary>
public sealed record NetworkMode(NetworkKind Kind, IReadOnlyList<string> Options, string? Network = null)
{
    public static NetworkMode Parse(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string name = colon < 0 ? text : text[..colon];
        if (name is "container" or "ns")
        {
            // The rest is one container name or one path, not options.
            string value = colon < 0 ? string.Empty : text[(colon + 1)..];
            if (value.Length == 0)
            {
                throw SkiffException.InvalidArgument(
                    $"invalid config provided: namespace mode {name} requires a value",
                    name == "ns" ? "give the path of a network namespace file, e.g. ns:/run/netns/NAME" : "give the name or id of a container, e.g. container:web");
            }

            if (name == "ns" && !Path.IsPathFullyQualified(value))
            {
                throw SkiffException.InvalidArgument($"namespace path {value} is not absolute", "give the absolute path of a network namespace file, e.g. ns:/run/netns/NAME");
            }

            return new NetworkMode(name == "ns" ? NetworkKind.NamespacePath : NetworkKind.Container, [], value);
        }

        IReadOnlyList<string> options = colon < 0 ? [] : text[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries);
        NetworkKind kind = name switch
        {
            "none" => NetworkKind.None,
            "host" => NetworkKind.Host,
            "pasta" => NetworkKind.Pasta,
            "slirp4netns" => NetworkKind.Slirp4netns,
            _ when !Bridge.NetworkNames.IsBuiltIn(name) && Bridge.NetworkNames.IsValid(name) => NetworkKind.Bridge,
            _ => throw SkiffException.InvalidArgument(
                $"unsupported network mode '{name}'",
                "use --network none, host, pasta[:OPTIONS], slirp4netns[:OPTIONS], container:NAME, ns:PATH or the name of a network from 'skiff network ls'"),
        };
        if (kind == NetworkKind.Bridge)
        {
            return new NetworkMode(kind, options, name);
        }

        if (options.Count > 0 && kind is NetworkKind.None or NetworkKind.Host)
        {
            throw SkiffException.InvalidArgument($"--network {name} takes no options");
        }

        return new NetworkMode(kind, options);
    }

    /// <summary>Whether the container joins a namespace that is not its own (another container's or a file's).</summary>
    public bool Joins => Kind is NetworkKind.Container or NetworkKind.NamespacePath;

    public override string ToString() => Kind switch
    {
        NetworkKind.None => "none",
        NetworkKind.Host => "host",
        NetworkKind.Pasta => "pasta",
        NetworkKind.Bridge => Network!,
        NetworkKind.Container => "container:" + Network,
        NetworkKind.NamespacePath => "ns:" + Network,
        _ => "slirp4netns",
    };
}

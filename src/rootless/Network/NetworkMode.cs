using Skiff.Core.Errors;

namespace Skiff.Rootless.Network;

/// <summary>
/// --network: none, host, pasta[:OPTIONS], slirp4netns[:OPTIONS] (options comma-separated, as podman) or the
/// name of a user-defined network (<see cref="NetworkKind.Bridge"/>, whether it exists is checked at create).
/// </summary>
public sealed record NetworkMode(NetworkKind Kind, IReadOnlyList<string> Options, string? Network = null)
{
    public static NetworkMode Parse(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string name = colon < 0 ? text : text[..colon];
        IReadOnlyList<string> options = colon < 0 ? [] : text[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries);
        NetworkKind kind = name switch
        {
            "none" => NetworkKind.None,
            "host" => NetworkKind.Host,
            "pasta" => NetworkKind.Pasta,
            "slirp4netns" => NetworkKind.Slirp4netns,
            _ when colon < 0 && !Bridge.NetworkNames.IsBuiltIn(name) && Bridge.NetworkNames.IsValid(name) => NetworkKind.Bridge,
            _ => throw SkiffException.InvalidArgument(
                $"unsupported network mode '{name}'",
                "use --network none, host, pasta[:OPTIONS], slirp4netns[:OPTIONS] or the name of a network from 'skiff network ls'"),
        };
        if (kind == NetworkKind.Bridge)
        {
            return new NetworkMode(kind, [], name);
        }

        if (options.Count > 0 && kind is NetworkKind.None or NetworkKind.Host)
        {
            throw SkiffException.InvalidArgument($"--network {name} takes no options");
        }

        return new NetworkMode(kind, options);
    }

    public override string ToString() => Kind switch
    {
        NetworkKind.None => "none",
        NetworkKind.Host => "host",
        NetworkKind.Pasta => "pasta",
        NetworkKind.Bridge => Network!,
        _ => "slirp4netns",
    };
}

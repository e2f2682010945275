namespace Skiff.Images.Registry.Configuration;

/// <summary>
/// The merged content of registries.conf and its drop-ins: where short names are searched, per-registry
/// settings, and short-name aliases. Later files override earlier ones key by key, as containers/image does.
/// </summary>
public sealed record RegistriesConfig
{
    public static RegistriesConfig Default { get; } = new();

    /// <summary>Registries tried in order for a short name; docker.io when no file says otherwise.</summary>
    public IReadOnlyList<string> UnqualifiedSearchRegistries { get; init; } = [Images.References.ImageReference.DockerHub];

    public IReadOnlyList<RegistryEntry> Registries { get; init; } = [];

    /// <summary>Short name (e.g. <c>fedora</c>) to fully qualified name without tag.</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; init; } = new Dictionary<string, string>();

    /// <summary>The entry with the longest prefix matching <paramref name="name"/>, if any.</summary>
    public RegistryEntry? FindEntry(string name)
    {
        RegistryEntry? best = null;
        foreach (RegistryEntry entry in Registries)
        {
            if (entry.Matches(name) && (best is null || entry.Prefix.Length > best.Prefix.Length))
            {
                best = entry;
            }
        }

        return best;
    }

    /// <summary>Whether plain http / unverified TLS is allowed for a registry host[:port].</summary>
    public bool IsInsecure(string host) => FindEntry(host)?.Insecure ?? false;
}

namespace Skiff.Images.Registry.Configuration;

/// <summary>
/// A <c>[[registry]]</c> table of registries.conf (v2 format). <see cref="Prefix"/> matches image names at
/// path boundaries (or <c>*.example.com</c> for subdomains); <see cref="Location"/> replaces the matched prefix.
/// </summary>
public sealed record RegistryEntry
{
    public required string Prefix { get; init; }

    public required string Location { get; init; }

    public bool Insecure { get; init; }

    public bool Blocked { get; init; }

    public IReadOnlyList<RegistryMirror> Mirrors { get; init; } = [];

    /// <summary>True when <paramref name="name"/> (<c>host[/path]</c>) falls under this entry's prefix.</summary>
    public bool Matches(string name)
    {
        if (Prefix.StartsWith("*.", StringComparison.Ordinal))
        {
            string host = name.Split('/')[0];
            return host.EndsWith(Prefix[1..], StringComparison.Ordinal);
        }

        return name == Prefix || name.StartsWith(Prefix + "/", StringComparison.Ordinal);
    }

    /// <summary>Rewrites <paramref name="name"/> from the prefix to the location (wildcard prefixes keep the name).</summary>
    public string Rewrite(string name)
    {
        if (Prefix.StartsWith("*.", StringComparison.Ordinal) || Location == Prefix)
        {
            return name;
        }

        return Location + name[Prefix.Length..];
    }
}

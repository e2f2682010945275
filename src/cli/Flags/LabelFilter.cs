namespace Skiff.Cli.Flags;

/// <summary>podman's <c>label=KEY[=VALUE]</c> filter value, as ps, prune, images, volume ls and network ls read it.</summary>
public static class LabelFilter
{
    /// <summary>Whether <paramref name="labels"/> has the filter's key and, when it names a value, exactly that value.</summary>
    public static bool Matches(IReadOnlyDictionary<string, string> labels, string filter)
    {
        string[] parts = filter.Split('=', 2);
        return labels.TryGetValue(parts[0], out string? value) && (parts.Length == 1 || value == parts[1]);
    }
}

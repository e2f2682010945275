using System.Collections;

namespace Skiff.Cli.Output;

/// <summary>
/// A Go map as templates see it (labels, exposed ports): keys are iterated and printed in sorted order,
/// a missing key prints <c>&lt;no value&gt;</c> and <c>index</c> of a missing key gives <see cref="ZeroValue"/>.
/// </summary>
public sealed class TemplateMap : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly SortedDictionary<string, object?> entries = new(StringComparer.Ordinal);

    /// <param name="zeroValue">What <c>index</c> returns for a missing key: "" for a map of strings.</param>
    public TemplateMap(object? zeroValue = null)
    {
        ZeroValue = zeroValue;
    }

    public object? ZeroValue { get; }

    public int Count => entries.Count;

    public object? this[string key]
    {
        get => entries[key];
        set => entries[key] = value;
    }

    public bool TryGetValue(string key, out object? value) => entries.TryGetValue(key, out value);

    public static TemplateMap OfStrings(IEnumerable<KeyValuePair<string, string>>? values)
    {
        var map = new TemplateMap(string.Empty);
        foreach ((string key, string value) in values ?? [])
        {
            map[key] = value;
        }

        return map;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

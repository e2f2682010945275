using System.Collections;

namespace Skiff.Cli.Output;

/// <summary>
/// A printable record as the --format engine and the JSON writer see it: named fields in declaration
/// order, like a Go struct (an unknown field is an error, <c>{{json .}}</c> keeps the order). Commands build
/// these explicitly, so no reflection is involved and NativeAOT keeps working.
/// </summary>
/// <param name="typeName">The Go-style type name used in error messages.</param>
/// <param name="capacity">The number of fields it will have, when known (a row built per item saves its regrowths).</param>
public sealed class TemplateObject(string typeName, int capacity = 0) : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> fields = new(capacity);
    private readonly Dictionary<string, int> indexes = new(capacity, StringComparer.Ordinal);

    /// <summary>The Go-style type name used in error messages, e.g. <c>images.imageReporter</c>.</summary>
    public string TypeName { get; } = typeName;

    public int Count => fields.Count;

    public IEnumerable<string> FieldNames => fields.Select(f => f.Key);

    public object? this[string name]
    {
        get => Resolve(fields[indexes[name]].Value);
        set
        {
            if (indexes.TryGetValue(name, out int existing))
            {
                fields[existing] = new(name, value);
                return;
            }

            indexes[name] = fields.Count;
            fields.Add(new(name, value));
        }
    }

    private HashSet<string>? omittedWhenEmpty;

    /// <summary>
    /// Go's <c>omitempty</c>: the field is left out of JSON while it is empty (an empty string or null), and templates
    /// still find it (<c>{{.Config.SdNotifySocket}}</c> prints nothing rather than failing).
    /// </summary>
    public void SetOmitEmpty(string name, object? value)
    {
        this[name] = value;
        (omittedWhenEmpty ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
    }

    /// <summary>Whether JSON leaves the field out (see <see cref="SetOmitEmpty"/>).</summary>
    public bool Omits(string name, object? value) => omittedWhenEmpty?.Contains(name) == true && value is null or "";

    /// <summary>A field computed on first use (e.g. labels that need the image config read from disk).</summary>
    public void SetLazy(string name, Func<object?> factory) => this[name] = new Lazy<object?>(factory);

    /// <summary>
    /// Exact name first; then, because JSON-shaped objects (info) have lower-case keys while podman users
    /// write Go field names (<c>{{.Store.GraphRoot}}</c> for <c>store.graphRoot</c>), a case-insensitive match.
    /// </summary>
    public bool TryGetField(string name, out object? value)
    {
        if (indexes.TryGetValue(name, out int i))
        {
            value = Resolve(fields[i].Value);
            return true;
        }

        foreach (KeyValuePair<string, object?> field in fields)
        {
            if (string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                value = Resolve(field.Value);
                return true;
            }
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() =>
        fields.Select(f => new KeyValuePair<string, object?>(f.Key, Resolve(f.Value))).GetEnumerator();

    private static object? Resolve(object? value) => value is Lazy<object?> lazy ? lazy.Value : value;

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

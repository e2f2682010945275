using System.Collections;

namespace Skiff.Cli.Output;

/// <summary>
/// A printable record as the --format engine and the JSON writer see it: named fields in declaration
/// order, like a Go struct (an unknown field is an error, <c>{{json .}}</c> keeps the order). Commands build
/// these explicitly, so no reflection is involved and NativeAOT keeps working.
/// </summary>
public sealed class TemplateObject(string typeName) : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> fields = [];
    private readonly Dictionary<string, int> indexes = new(StringComparer.Ordinal);

    /// <summary>The Go-style type name used in error messages, e.g. <c>images.imageReporter</c>.</summary>
    public string TypeName { get; } = typeName;

    public int Count => fields.Count;

    public IEnumerable<string> FieldNames => fields.Select(f => f.Key);

    public object? this[string name]
    {
        get => fields[indexes[name]].Value;
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

    public bool TryGetField(string name, out object? value)
    {
        if (indexes.TryGetValue(name, out int i))
        {
            value = fields[i].Value;
            return true;
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

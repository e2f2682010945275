using System.Text.Json;

namespace Skiff.Runtime.Json;

/// <summary>
/// Writing optional members with <see cref="Utf8JsonWriter"/> the way the generated contracts of
/// <c>JsonIgnoreCondition.WhenWritingNull</c> types write them: a null value leaves the member out. Shared by the
/// hand-written writers of the files every container start writes (<see cref="Spec.SpecJsonWriter"/>,
/// <see cref="Lifecycle.ContainerConfigJson"/>).
/// </summary>
internal static class JsonMembers
{
    internal static void WriteOptionalString(this Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    internal static void WriteOptionalNumber(this Utf8JsonWriter w, ReadOnlySpan<byte> name, uint? value)
    {
        if (value is { } number)
        {
            w.WriteNumber(name, number);
        }
    }

    internal static void WriteOptionalNumber(this Utf8JsonWriter w, ReadOnlySpan<byte> name, int? value)
    {
        if (value is { } number)
        {
            w.WriteNumber(name, number);
        }
    }

    internal static void WriteOptionalNumber(this Utf8JsonWriter w, ReadOnlySpan<byte> name, long? value)
    {
        if (value is { } number)
        {
            w.WriteNumber(name, number);
        }
    }

    internal static void WriteOptionalNumber(this Utf8JsonWriter w, ReadOnlySpan<byte> name, ulong? value)
    {
        if (value is { } number)
        {
            w.WriteNumber(name, number);
        }
    }

    /// <summary>The items of an array the writer has started; a null item is written as JSON null, as the generated contracts do.</summary>
    internal static void WriteItems<T>(this Utf8JsonWriter w, IReadOnlyList<T> items, Action<Utf8JsonWriter, T> item)
    {
        for (int i = 0; i < items.Count; i++)
        {
            if (items[i] is { } value)
            {
                item(w, value);
            }
            else
            {
                w.WriteNullValue();
            }
        }
    }
}

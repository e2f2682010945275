using System.Collections;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Skiff.Cli.Output;

/// <summary>
/// Writes our value model (<see cref="TemplateObject"/>, <see cref="TemplateMap"/>, lists, scalars) as JSON
/// the way podman prints it: 4-space indentation, no HTML escaping, map keys sorted. No reflection.
/// </summary>
public static class JsonOutput
{
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <param name="indentSize">Spaces per level: podman indents inspect by 5, ps by 2, the rest by 4.</param>
    /// <summary>podman's inspect commands indent by 5 spaces.</summary>
    public const int InspectIndent = 5;

    public static string Serialize(object? value, bool indented, int indentSize = 4)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, IndentSize = indentSize, Encoder = Encoder, SkipValidation = true }))
        {
            Write(writer, value);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null or NilValue or MissingValue:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case float f:
                writer.WriteNumberValue(f);
                break;
            case ulong ul:
                writer.WriteNumberValue(ul);
                break;
            case DateTimeOffset time:
                writer.WriteStringValue(GoValues.FormatRfc3339Nano(time));
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case TemplateObject obj:
                WriteObject(writer, obj.Where(field => !obj.Omits(field.Key, field.Value)));
                break;
            case TemplateMap map:
                WriteObject(writer, map);
                break;
            case IList list:
                writer.WriteStartArray();
                foreach (object? item in list)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                if (GoValues.TryInteger(value, out long n))
                {
                    writer.WriteNumberValue(n);
                }
                else
                {
                    writer.WriteStringValue(GoValues.Print(value));
                }

                break;
        }
    }

    private static void WriteObject(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, object?>> fields)
    {
        writer.WriteStartObject();
        foreach (KeyValuePair<string, object?> field in fields)
        {
            writer.WritePropertyName(field.Key);
            Write(writer, field.Value);
        }

        writer.WriteEndObject();
    }
}

using System.Collections;
using System.Globalization;
using System.Text;

namespace Skiff.Cli.Output;

/// <summary>How Go's fmt prints values (<c>%v</c>) and how text/template judges truth, for our value model.</summary>
public static class GoValues
{
    public static string Print(object? value)
    {
        var builder = new StringBuilder();
        Print(builder, value);
        return builder.ToString();
    }

    public static void Print(StringBuilder builder, object? value)
    {
        switch (value)
        {
            case null:
                builder.Append("<nil>");
                break;
            case string s:
                builder.Append(s);
                break;
            case bool b:
                builder.Append(b ? "true" : "false");
                break;
            case double d:
                builder.Append(GoNumbers.FormatShortest(d));
                break;
            case float f:
                builder.Append(GoNumbers.FormatShortest(f));
                break;
            case DateTimeOffset time:
                builder.Append(FormatTime(time));
                break;
            case TemplateObject obj:
                builder.Append('{');
                bool firstField = true;
                foreach (KeyValuePair<string, object?> field in obj)
                {
                    if (!firstField)
                    {
                        builder.Append(' ');
                    }

                    firstField = false;
                    Print(builder, field.Value);
                }

                builder.Append('}');
                break;
            case TemplateMap map:
                builder.Append("map[");
                bool firstEntry = true;
                foreach (KeyValuePair<string, object?> entry in map)
                {
                    if (!firstEntry)
                    {
                        builder.Append(' ');
                    }

                    firstEntry = false;
                    builder.Append(entry.Key).Append(':');
                    Print(builder, entry.Value);
                }

                builder.Append(']');
                break;
            case IList list:
                builder.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(' ');
                    }

                    Print(builder, list[i]);
                }

                builder.Append(']');
                break;
            case IFormattable formattable:
                builder.Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                builder.Append(value.ToString());
                break;
        }
    }

    /// <summary>text/template's truth: false, 0, nil and empty strings, slices and maps are false; structs are true.</summary>
    public static bool IsTrue(object? value) => value switch
    {
        null or MissingValue or NilValue => false,
        bool b => b,
        string s => s.Length > 0,
        double d => d != 0,
        float f => f != 0,
        TemplateMap map => map.Count > 0,
        TemplateObject => true,
        IList list => list.Count > 0,
        _ when TryInteger(value, out long n) => n != 0,
        _ => true,
    };

    public static bool TryInteger(object? value, out long result)
    {
        switch (value)
        {
            case long l: result = l; return true;
            case int i: result = i; return true;
            case uint u: result = u; return true;
            case ulong ul when ul <= long.MaxValue: result = (long)ul; return true;
            case short s: result = s; return true;
            case ushort us: result = us; return true;
            case byte b: result = b; return true;
            default: result = 0; return false;
        }
    }

    /// <summary>A Go-flavoured type name for error messages.</summary>
    public static string TypeName(object? value) => value switch
    {
        null => "interface {}",
        MissingValue => "<no value>",
        string => "string",
        bool => "bool",
        double => "float64",
        float => "float32",
        DateTimeOffset => "time.Time",
        TemplateObject obj => obj.TypeName,
        TemplateMap => "map[string]interface {}",
        NilValue nil => nil == NilValue.List ? "[]string" : "map[string]string",
        IList => "[]interface {}",
        _ when TryInteger(value, out _) => "int64",
        _ => value.GetType().Name,
    };

    /// <summary>Go's <c>time.Time.String()</c>: <c>2006-01-02 15:04:05.999999999 -0700 MST</c>.</summary>
    public static string FormatTime(DateTimeOffset time)
    {
        string fraction = Fraction(time);
        string offset = time.Offset == TimeSpan.Zero
            ? "+0000 UTC"
            : time.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", string.Empty, StringComparison.Ordinal) + " " + time.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", string.Empty, StringComparison.Ordinal);
        return time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + fraction + " " + offset;
    }

    /// <summary>RFC 3339 with nanoseconds as Go's JSON writes times: <c>2024-01-02T10:11:12.5Z</c>.</summary>
    public static string FormatRfc3339Nano(DateTimeOffset time)
    {
        string zone = time.Offset == TimeSpan.Zero ? "Z" : time.ToString("zzz", CultureInfo.InvariantCulture);
        return time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + Fraction(time) + zone;
    }

    private static string Fraction(DateTimeOffset time)
    {
        long ticks = time.Ticks % TimeSpan.TicksPerSecond;
        if (ticks == 0)
        {
            return string.Empty;
        }

        return "." + (ticks * 100).ToString("000000000", CultureInfo.InvariantCulture).TrimEnd('0');
    }
}

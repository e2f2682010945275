using System.Text.Json;

namespace Skiff.Core.Json;

/// <summary>
/// Reading one member's value with <see cref="Utf8JsonReader"/>, the way System.Text.Json's generated contract
/// reads it: a JSON null is null for references and nullable values and an error for the rest, numbers must be
/// JSON numbers that fit, and a mismatch is a <see cref="JsonException"/>. Each method reads the value token
/// after the member name the reader is on (the <c>...Item</c> forms read the token the reader is on, for arrays).
/// Used by the hand-written readers of the files every container start reads (the runtime spec, the container's files, the
/// default seccomp profile, the image's records and configuration).
/// </summary>
public static class JsonFields
{
    public delegate T ReadItem<T>(ref Utf8JsonReader reader);

    /// <summary>Moves to the value and returns whether it is an object (false for null).</summary>
    public static bool StartObject(ref Utf8JsonReader r)
    {
        r.Read();
        return AtObject(ref r);
    }

    /// <summary>The current token starts an object (true) or is null (false); anything else is an error.</summary>
    public static bool AtObject(ref Utf8JsonReader r) => r.TokenType switch
    {
        JsonTokenType.StartObject => true,
        JsonTokenType.Null => false,
        _ => throw Mismatch(ref r, "an object"),
    };

    /// <summary>Moves to the next member name of the current object; false at its end.</summary>
    public static bool NextProperty(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType == JsonTokenType.PropertyName;
    }

    public static void Skip(ref Utf8JsonReader r)
    {
        r.Read();
        r.Skip();
    }

    public static List<T>? List<T>(ref Utf8JsonReader r, ReadItem<T?> item)
    {
        r.Read();
        if (r.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (r.TokenType != JsonTokenType.StartArray)
        {
            throw Mismatch(ref r, "an array");
        }

        var list = new List<T>();
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            list.Add(item(ref r)!);
        }

        return list;
    }

    public static List<string>? Strings(ref Utf8JsonReader r) => List(ref r, StringItem);

    public static string? StringItem(ref Utf8JsonReader r) => r.TokenType switch
    {
        JsonTokenType.String => r.GetString(),
        JsonTokenType.Null => null,
        _ => throw Mismatch(ref r, "a string"),
    };

    public static Dictionary<string, string>? Map(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        var map = new Dictionary<string, string>();
        while (NextProperty(ref r))
        {
            string key = r.GetString()!;
            map[key] = String(ref r)!;
        }

        return map;
    }

    public static string? String(ref Utf8JsonReader r)
    {
        r.Read();
        return StringItem(ref r);
    }

    public static bool Bool(ref Utf8JsonReader r)
    {
        r.Read();
        return BoolItem(ref r);
    }

    public static bool? NullableBool(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType == JsonTokenType.Null ? null : BoolItem(ref r);
    }

    private static bool BoolItem(ref Utf8JsonReader r) => r.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Mismatch(ref r, "true or false"),
    };

    public static uint UInt32(ref Utf8JsonReader r)
    {
        r.Read();
        return UInt32Item(ref r);
    }

    public static uint UInt32Item(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.Number && r.TryGetUInt32(out uint value) ? value : throw Mismatch(ref r, "an unsigned 32-bit number");

    public static uint? NullableUInt32(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType == JsonTokenType.Null ? null : UInt32Item(ref r);
    }

    public static ushort? NullableUInt16(ref Utf8JsonReader r)
    {
        r.Read();
        if (r.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        return r.TokenType == JsonTokenType.Number && r.TryGetUInt16(out ushort value) ? value : throw Mismatch(ref r, "an unsigned 16-bit number");
    }

    public static int? NullableInt32(ref Utf8JsonReader r)
    {
        r.Read();
        if (r.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        return r.TokenType == JsonTokenType.Number && r.TryGetInt32(out int value) ? value : throw Mismatch(ref r, "a 32-bit number");
    }

    public static ulong UInt64(ref Utf8JsonReader r)
    {
        r.Read();
        return UInt64Item(ref r);
    }

    public static ulong UInt64Item(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.Number && r.TryGetUInt64(out ulong value) ? value : throw Mismatch(ref r, "an unsigned 64-bit number");

    public static ulong? NullableUInt64(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType == JsonTokenType.Null ? null : UInt64Item(ref r);
    }

    public static long Int64(ref Utf8JsonReader r)
    {
        r.Read();
        return Int64Item(ref r);
    }

    public static long Int64Item(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.Number && r.TryGetInt64(out long value) ? value : throw Mismatch(ref r, "a 64-bit number");

    public static long? NullableInt64(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType == JsonTokenType.Null ? null : Int64Item(ref r);
    }

    public static JsonException Mismatch(ref Utf8JsonReader r, string expected) =>
        new($"expected {expected}, found {Describe(r.TokenType)}");

    /// <summary>
    /// Reads a whole document whose root <paramref name="root"/> reads (null for a JSON null), with comments and
    /// trailing commas allowed; content after the root is an error, and every error carries its line.
    /// </summary>
    public static T? Document<T>(ReadOnlySpan<byte> json, ReadItem<T?> root, string what)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            T? value = root(ref reader);
            if (reader.Read())
            {
                throw new JsonException($"unexpected content after the {what}");
            }

            return value;
        }
        catch (JsonException e) when (e.LineNumber is null)
        {
            throw WithLine(json, reader.TokenStartIndex, e.Message);
        }
    }

    /// <summary>A <see cref="JsonException"/> with the 0-based line of <paramref name="offset"/>, as System.Text.Json reports it.</summary>
    public static JsonException WithLine(ReadOnlySpan<byte> json, long offset, string message)
    {
        ReadOnlySpan<byte> before = json[..(int)Math.Min(offset, json.Length)];
        int line = before.Count((byte)'\n');
        int column = before.Length - (before.LastIndexOf((byte)'\n') + 1);
        return new JsonException(message, path: null, lineNumber: line, bytePositionInLine: column);
    }

    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a bool",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    public static int Int32(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType == JsonTokenType.Number && r.TryGetInt32(out int value) ? value : throw Mismatch(ref r, "a 32-bit number");
    }

    public static DateTimeOffset Timestamp(ref Utf8JsonReader r)
    {
        r.Read();
        return DateTimeOffsetItem(ref r);
    }

    public static DateTimeOffset? NullableTimestamp(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType == JsonTokenType.Null ? null : DateTimeOffsetItem(ref r);
    }

    public static DateTime DateTime(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType == JsonTokenType.String && r.TryGetDateTime(out DateTime value) ? value : throw Mismatch(ref r, "an ISO 8601 date and time");
    }

    private static DateTimeOffset DateTimeOffsetItem(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.String && r.TryGetDateTimeOffset(out DateTimeOffset value) ? value : throw Mismatch(ref r, "an ISO 8601 date and time");

    /// <summary>System.Text.Json's rule for C# <c>required</c> members: a document without one is an error.</summary>
    public static void Require(bool seen, string type, string name)
    {
        if (!seen)
        {
            throw new JsonException($"JSON deserialization for type '{type}' was missing required properties including: '{name}'.");
        }
    }
}

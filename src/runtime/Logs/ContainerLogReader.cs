using System.Text;
using System.Text.Json;

namespace Skiff.Runtime.Logs;

/// <summary>Parses the records <see cref="ContainerLogWriter"/> wrote, one line (without its newline) at a time.</summary>
public static class ContainerLogReader
{
    /// <returns>false for a line that is not a record of <paramref name="driver"/> (it is skipped).</returns>
    public static bool TryParse(string driver, ReadOnlySpan<byte> line, out LogRecord record) =>
        driver == LogDrivers.JsonFile ? TryParseJson(line, out record) : TryParseK8s(line, out record);

    /// <summary><c>TIME STREAM F|P TEXT</c>: the text is the container's bytes as written, whatever their encoding.</summary>
    private static bool TryParseK8s(ReadOnlySpan<byte> line, out LogRecord record)
    {
        record = default;
        int first = line.IndexOf((byte)' ');
        if (first < 0)
        {
            return false;
        }

        ReadOnlySpan<byte> rest = line[(first + 1)..];
        int second = rest.IndexOf((byte)' ');
        if (second < 0 || rest.Length < second + 2 || (rest.Length > second + 2 && rest[second + 2] != ' ')
            || !LogTimestamp.TryParse(line[..first], out DateTimeOffset time))
        {
            return false;
        }

        ReadOnlySpan<byte> content = rest.Length > second + 2 ? rest[(second + 3)..] : default;
        record = new LogRecord(time, rest[..second].SequenceEqual("stderr"u8), content, rest[second + 1] == 'P');
        return true;
    }

    /// <summary>docker's json-file line: <c>{"log":"TEXT\n","stream":"stdout","time":"…"}</c>; no newline at the end of the text is a partial line.</summary>
    private static bool TryParseJson(ReadOnlySpan<byte> line, out LogRecord record)
    {
        record = default;
        string? text = null;
        string? time = null;
        bool isStderr = false;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                if (!reader.Read())
                {
                    return false;
                }

                switch (name)
                {
                    case "log":
                        text = reader.GetString();
                        break;
                    case "stream":
                        isStderr = reader.GetString() == "stderr";
                        break;
                    case "time":
                        time = reader.GetString();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }

        if (text is null || time is null || !LogTimestamp.TryParse(Encoding.UTF8.GetBytes(time), out DateTimeOffset parsed))
        {
            return false;
        }

        bool partial = !text.EndsWith('\n');
        record = new LogRecord(parsed, isStderr, Encoding.UTF8.GetBytes(partial ? text : text[..^1]), partial);
        return true;
    }
}

using System.Globalization;
using System.Text.Json;

namespace Skiff.Runtime.Logs;

/// <summary>Parses the records <see cref="ContainerLogWriter"/> wrote. Incomplete trailing lines are left for the next read.</summary>
public static class ContainerLogReader
{
    public static LogEntry? ParseLine(string driver, string line)
    {
        if (driver == LogDrivers.JsonFile)
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                JsonElement root = document.RootElement;
                string text = root.GetProperty("log").GetString() ?? string.Empty;
                bool partial = !text.EndsWith('\n');
                return new LogEntry(
                    DateTimeOffset.Parse(root.GetProperty("time").GetString() ?? string.Empty, CultureInfo.InvariantCulture),
                    root.GetProperty("stream").GetString() ?? "stdout",
                    partial ? text : text[..^1],
                    partial);
            }
            catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
            {
                return null;
            }
        }

        // TIME STREAM F|P TEXT
        int first = line.IndexOf(' ');
        int second = first < 0 ? -1 : line.IndexOf(' ', first + 1);
        int third = second < 0 ? -1 : line.IndexOf(' ', second + 1);
        if (third < 0 || !DateTimeOffset.TryParse(line[..first], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset time))
        {
            return null;
        }

        return new LogEntry(time, line[(first + 1)..second], line[(third + 1)..], line[(second + 1)..third] == "P");
    }
}

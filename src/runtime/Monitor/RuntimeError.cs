using System.Text.Json;

namespace Skiff.Runtime.Monitor;

/// <summary>Reads the last error an OCI runtime wrote to its JSON log (--log-format json: one object per line with level and msg).</summary>
public static class RuntimeError
{
    public static string? TryRead(string? logFile)
    {
        if (logFile is null || !File.Exists(logFile))
        {
            return null;
        }

        string? last = null;
        foreach (string line in File.ReadLines(logFile))
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                if (document.RootElement.TryGetProperty("level", out JsonElement level)
                    && level.GetString() is "error" or "fatal"
                    && document.RootElement.TryGetProperty("msg", out JsonElement message))
                {
                    last = message.GetString();
                }
            }
            catch (JsonException)
            {
                // Not every runtime writes only JSON there.
            }
        }

        return last;
    }
}

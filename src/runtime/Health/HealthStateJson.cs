using System.Buffers;
using System.Text.Json;
using static Skiff.Core.Json.JsonFields;

namespace Skiff.Runtime.Health;

/// <summary>
/// health.json in a container's directory: podman's healthcheck log file (<c>{"Status", "FailingStreak", "Log": [{"Start",
/// "End", "ExitCode", "Output"}]}</c>), read and written by hand as the container's other files are.
/// </summary>
public static class HealthStateJson
{
    public static byte[] Write(HealthState state)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("Status"u8, state.Status);
            w.WriteNumber("FailingStreak"u8, state.FailingStreak);
            w.WriteStartArray("Log"u8);
            foreach (HealthLogEntry entry in state.Log)
            {
                w.WriteStartObject();
                w.WriteString("Start"u8, entry.Start);
                w.WriteString("End"u8, entry.End);
                w.WriteNumber("ExitCode"u8, entry.ExitCode);
                w.WriteString("Output"u8, entry.Output);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="JsonException">The document is not a health state.</exception>
    public static HealthState Read(ReadOnlySpan<byte> json) =>
        Document(json, static (ref Utf8JsonReader r) => State(ref r), "health state") ?? HealthState.None;

    private static HealthState? State(ref Utf8JsonReader r)
    {
        if (!StartObject(ref r))
        {
            return null;
        }

        string? status = null;
        int streak = 0;
        List<HealthLogEntry>? log = null;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("Status"u8)) { status = String(ref r); }
            else if (r.ValueTextEquals("FailingStreak"u8)) { streak = Int32(ref r); }
            else if (r.ValueTextEquals("Log"u8)) { log = List(ref r, Entry); }
            else { Skip(ref r); }
        }

        return new HealthState(status ?? string.Empty, streak, log ?? []);
    }

    private static HealthLogEntry? Entry(ref Utf8JsonReader r)
    {
        if (!AtObject(ref r))
        {
            return null;
        }

        DateTimeOffset start = default, end = default;
        int code = 0;
        string? output = null;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("Start"u8)) { start = Timestamp(ref r); }
            else if (r.ValueTextEquals("End"u8)) { end = Timestamp(ref r); }
            else if (r.ValueTextEquals("ExitCode"u8)) { code = Int32(ref r); }
            else if (r.ValueTextEquals("Output"u8)) { output = String(ref r); }
            else { Skip(ref r); }
        }

        return new HealthLogEntry(start, end, code, output ?? string.Empty);
    }
}

using System.Buffers;
using System.Text.Json;
using static Skiff.Core.Json.JsonFields;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// state.json of a container, read and written by hand for the reason <see cref="ContainerConfigJson"/> gives:
/// the same bytes and reading rules as <see cref="ContainerJsonContext"/>, without its metadata on the start
/// path (the CLI writes the first state, the monitor reads it and writes Running).
/// </summary>
public static class ContainerStateJson
{
    public static byte[] Write(ContainerState state)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            if (state.Status is { } status)
            {
                w.WriteString("status"u8, status);
            }

            w.WriteNumber("pid"u8, state.Pid);
            w.WriteNumber("pidStartTime"u8, state.PidStartTime);
            w.WriteNumber("monitorPid"u8, state.MonitorPid);
            w.WriteNumber("monitorStartTime"u8, state.MonitorStartTime);
            w.WriteNumber("exitCode"u8, state.ExitCode);
            if (state.StartedAt is { } started)
            {
                w.WriteString("startedAt"u8, started);
            }

            if (state.FinishedAt is { } finished)
            {
                w.WriteString("finishedAt"u8, finished);
            }

            if (state.Error is { } error)
            {
                w.WriteString("error"u8, error);
            }

            w.WriteBoolean("oomKilled"u8, state.OomKilled);
            w.WriteNumber("restartCount"u8, state.RestartCount);
            w.WriteBoolean("stoppedByUser"u8, state.StoppedByUser);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Returns null for a document that is JSON null; throws <see cref="JsonException"/> for anything else that is not a state.</summary>
    public static ContainerState? Read(ReadOnlySpan<byte> json)
    {
        var r = new Utf8JsonReader(json);
        try
        {
            if (!StartObject(ref r))
            {
                return r.Read() ? throw new JsonException("unexpected content after the container state") : null;
            }

            // As System.Text.Json's generated code: a missing init-only member is null, not the record's default.
            // Gathered in locals and made once (see ContainerConfigJson).
            string? status = null, error = null;
            int pid = 0, monitorPid = 0, exitCode = 0, restartCount = 0;
            long pidStartTime = 0, monitorStartTime = 0;
            DateTimeOffset? startedAt = null, finishedAt = null;
            bool oomKilled = false, stoppedByUser = false;
            while (NextProperty(ref r))
            {
                if (r.ValueTextEquals("status"u8)) { status = String(ref r); }
                else if (r.ValueTextEquals("pid"u8)) { pid = Int32(ref r); }
                else if (r.ValueTextEquals("pidStartTime"u8)) { pidStartTime = Int64(ref r); }
                else if (r.ValueTextEquals("monitorPid"u8)) { monitorPid = Int32(ref r); }
                else if (r.ValueTextEquals("monitorStartTime"u8)) { monitorStartTime = Int64(ref r); }
                else if (r.ValueTextEquals("exitCode"u8)) { exitCode = Int32(ref r); }
                else if (r.ValueTextEquals("startedAt"u8)) { startedAt = NullableTimestamp(ref r); }
                else if (r.ValueTextEquals("finishedAt"u8)) { finishedAt = NullableTimestamp(ref r); }
                else if (r.ValueTextEquals("error"u8)) { error = String(ref r); }
                else if (r.ValueTextEquals("oomKilled"u8)) { oomKilled = Bool(ref r); }
                else if (r.ValueTextEquals("restartCount"u8)) { restartCount = Int32(ref r); }
                else if (r.ValueTextEquals("stoppedByUser"u8)) { stoppedByUser = Bool(ref r); }
                else { Skip(ref r); }
            }

            var state = new ContainerState
            {
                Status = status!,
                Pid = pid,
                PidStartTime = pidStartTime,
                MonitorPid = monitorPid,
                MonitorStartTime = monitorStartTime,
                ExitCode = exitCode,
                StartedAt = startedAt,
                FinishedAt = finishedAt,
                Error = error,
                OomKilled = oomKilled,
                RestartCount = restartCount,
                StoppedByUser = stoppedByUser,
            };

            if (r.Read())
            {
                throw new JsonException("unexpected content after the container state");
            }

            return state;
        }
        catch (JsonException e) when (e.LineNumber is null)
        {
            throw WithLine(json, r.TokenStartIndex, e.Message);
        }
    }
}

using System.Globalization;
using System.Text;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Process;

namespace Skiff.Rootless.Network;

/// <summary>
/// A network helper the monitor started (slirp4netns, a port forwarder), recorded on disk as "PID STARTTIME":
/// the monitor may replace itself with skiff-relay while the container runs, and the skiff that records the
/// container's exit (<c>__monitor-exit</c>, the same pid, a new program) stops the helper from this record.
/// The start time keeps a reused pid from being taken for the helper.
/// </summary>
public static class HelperRecord
{
    /// <summary>Records <paramref name="pid"/>; false when it cannot (then only this process knows the helper).</summary>
    public static bool TryWrite(string path, int pid)
    {
        if (ProcessStartTime.TryRead(pid) is not long started)
        {
            return false;
        }

        try
        {
            File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $"{pid} {started}\n"));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The recorded helper's pid if it still runs; null when there is no record or the helper is gone.</summary>
    public static int? TryReadLive(string path)
    {
        string[] fields = (TryReadText(path) ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return fields.Length == 2
            && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long started)
            && ProcessStartTime.IsAlive(pid, started)
                ? pid
                : null;
    }

    /// <summary>
    /// The text of a record or a helper's pid file (the start of it: a record is a few dozen bytes); null when
    /// there is none. Most containers have no forwarder or slirp4netns record, and the monitor looks for both
    /// before it reports the exit: a missing file is no exception here (each cost the monitor ~10 page faults
    /// and the unwinder's first run).
    /// </summary>
    internal static string? TryReadText(string path)
    {
        Span<byte> text = stackalloc byte[RecordBytes];
        int length;
        try
        {
            length = SmallFileReader.TryReadStart(path, text);
        }
        catch (SystemCallException)
        {
            return null;
        }

        return length < 0 ? null : Encoding.UTF8.GetString(text[..length]);
    }

    /// <summary>Room for "PID STARTTIME\n" (at most 10 + 1 + 20 + 1 bytes) with some to spare.</summary>
    private const int RecordBytes = 128;

    public static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}

using System.Globalization;
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
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        string[] fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return fields.Length == 2
            && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long started)
            && ProcessStartTime.IsAlive(pid, started)
                ? pid
                : null;
    }

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

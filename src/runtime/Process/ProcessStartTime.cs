using System.Globalization;

namespace Skiff.Runtime.Process;

/// <summary>
/// A process's start time in clock ticks since boot (/proc/PID/stat field 22). A pid together with its
/// start time names one process for good: pids are reused, start times of a reused pid differ.
/// </summary>
public static class ProcessStartTime
{
    public static long? TryRead(int pid)
    {
        if (pid <= 0)
        {
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may contain spaces and ')'.
        int close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        string[] fields = text[(close + 2)..].Split(' ');

        // fields[0] is field 3 (state); a zombie has exited already.
        if (fields.Length < 20 || fields[0] is "Z" or "X")
        {
            return null;
        }

        return long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out long start) ? start : null;
    }

    /// <summary>True when the process with this pid is the one that started at <paramref name="startTime"/> and still runs.</summary>
    public static bool IsAlive(int pid, long startTime) => pid > 0 && TryRead(pid) is long now && now == startTime;
}

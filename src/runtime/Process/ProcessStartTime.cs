using System.Buffers.Text;
using System.Globalization;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;

namespace Skiff.Runtime.Process;

/// <summary>
/// A process's start time in clock ticks since boot (/proc/PID/stat field 22). A pid together with its
/// start time names one process for good: pids are reused, start times of a reused pid differ.
/// </summary>
public static class ProcessStartTime
{
    /// <summary>
    /// Enough for field 22: the command name is at most 64 bytes (a kernel thread's), the 19 fields before
    /// the start time at most 20 digits each.
    /// </summary>
    private const int StatPrefixBytes = 1024;

    public static long? TryRead(int pid)
    {
        if (pid <= 0)
        {
            return null;
        }

        Span<byte> stat = stackalloc byte[StatPrefixBytes];
        int length;
        try
        {
            length = SmallFileReader.TryReadStart($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat", stat);
        }
        catch (SystemCallException)
        {
            return null;
        }

        return length < 0 ? null : Parse(stat[..length]);
    }

    /// <summary>Field 22 of a /proc/PID/stat line, or null for a zombie or a line that is not one.</summary>
    public static long? Parse(ReadOnlySpan<byte> stat)
    {
        // The command name (field 2) is in parentheses and may contain spaces and ')'.
        int close = stat.LastIndexOf((byte)')');
        if (close < 0 || close + 2 > stat.Length)
        {
            return null;
        }

        ReadOnlySpan<byte> rest = stat[(close + 2)..];

        // The first field here is field 3 (state); a zombie has exited already.
        if (rest.Length == 0 || rest[0] is (byte)'Z' or (byte)'X')
        {
            return null;
        }

        for (int field = 3; field < 22; field++)
        {
            int space = rest.IndexOf((byte)' ');
            if (space < 0)
            {
                return null;
            }

            rest = rest[(space + 1)..];
        }

        int end = rest.IndexOfAny((byte)' ', (byte)'\n');
        ReadOnlySpan<byte> value = end < 0 ? rest : rest[..end];
        return Utf8Parser.TryParse(value, out long start, out int consumed) && consumed == value.Length && consumed > 0 && value[0] != (byte)'-'
            ? start
            : null;
    }

    /// <summary>True when the process with this pid is the one that started at <paramref name="startTime"/> and still runs.</summary>
    public static bool IsAlive(int pid, long startTime) => pid > 0 && TryRead(pid) is long now && now == startTime;
}

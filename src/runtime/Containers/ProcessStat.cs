using System.Globalization;
using System.Text;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;

namespace Skiff.Runtime.Containers;

/// <summary>The two fields of /proc/PID/stat the runtime needs: the state letter and the start time.</summary>
public readonly record struct ProcessStat(char State, ulong StartTime)
{
    /// <summary>
    /// Enough for field 22: the command name is at most 64 bytes (a kernel thread's), the 19 fields before
    /// the start time at most 20 digits each.
    /// </summary>
    private const int StatPrefixBytes = 1024;

    /// <summary>Null when the process does not exist (the usual case when a container's state is read after it ended: no exception for it).</summary>
    public static ProcessStat? TryRead(int pid)
    {
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

        return length < 0 ? null : Parse(Encoding.UTF8.GetString(stat[..length]));
    }

    /// <summary>The command name may contain spaces and parentheses: fields start after the last ')'.</summary>
    public static ProcessStat? Parse(string text)
    {
        int close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        string[] fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // fields[0] is field 3 (state); starttime is field 22.
        if (fields.Length < 20 || !ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out ulong start))
        {
            return null;
        }

        return new ProcessStat(fields[0][0], start);
    }
}

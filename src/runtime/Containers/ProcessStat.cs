using System.Globalization;
using System.Text;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;

namespace Skiff.Runtime.Containers;

/// <summary>
/// The fields of /proc/PID/stat the runtime needs: the state letter, the start time and, for a zombie, the wait
/// status its parent will read (field 52; null when the kernel does not show it).
/// </summary>
public readonly record struct ProcessStat(char State, ulong StartTime, int? WaitStatus = null)
{
    /// <summary>
    /// Enough for field 52: the command name is at most 64 bytes (a kernel thread's), the 49 fields before
    /// the exit code at most 20 digits each.
    /// </summary>
    private const int StatPrefixBytes = 2048;

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

        string[] fields = text[(close + 1)..].TrimEnd().Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // fields[0] is field 3 (state); starttime is field 22.
        if (fields.Length < 20 || !ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out ulong start))
        {
            return null;
        }

        int? waitStatus = fields.Length >= 50 && int.TryParse(fields[49], NumberStyles.None, CultureInfo.InvariantCulture, out int status) ? status : null;
        return new ProcessStat(fields[0][0], start, waitStatus);
    }

    /// <summary>How a zombie ended, in words ("exited with code 1", "was killed by signal 9"); null while it lives or when unknown.</summary>
    public string? DescribeEnd()
    {
        if (State != 'Z' || WaitStatus is not int status)
        {
            return null;
        }

        Process.ChildExit exit = Process.ChildExit.FromWaitStatus(status);
        const int CoreDumped = 0x80;
        return exit.Signaled
            ? $"was killed by signal {exit.Signal}{((status & CoreDumped) != 0 ? " (core dumped)" : string.Empty)}"
            : $"exited with code {exit.ExitCode}";
    }
}

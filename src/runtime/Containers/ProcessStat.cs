using System.Globalization;

namespace Skiff.Runtime.Containers;

/// <summary>The two fields of /proc/PID/stat the runtime needs: the state letter and the start time.</summary>
public readonly record struct ProcessStat(char State, ulong StartTime)
{
    /// <summary>Null when the process does not exist.</summary>
    public static ProcessStat? TryRead(int pid)
    {
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

        return Parse(text);
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

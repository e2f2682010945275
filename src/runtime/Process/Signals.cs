using System.Globalization;
using Skiff.Core.Errors;

namespace Skiff.Runtime.Process;

/// <summary>Signal names as kill(1) and the OCI runtime CLI accept them: KILL, SIGKILL or 9.</summary>
public static class Signals
{
    private static readonly string[] Names =
    [
        string.Empty, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
        "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM",
        "PROF", "WINCH", "IO", "PWR", "SYS",
    ];

    public static int Parse(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number is > 0 and <= 64)
        {
            return number;
        }

        string name = text.ToUpperInvariant();
        if (name.StartsWith("SIG", StringComparison.Ordinal))
        {
            name = name[3..];
        }

        int index = Array.IndexOf(Names, name);
        if (index > 0)
        {
            return index;
        }

        if (name is "IOT")
        {
            return 6;
        }

        if (name is "CLD")
        {
            return 17;
        }

        if (name is "POLL")
        {
            return 29;
        }

        if (name.StartsWith("RTMIN", StringComparison.Ordinal) && TryOffset(name[5..], out int up) && 34 + up <= 64)
        {
            return 34 + up;
        }

        if (name.StartsWith("RTMAX", StringComparison.Ordinal) && TryOffset(name[5..], out int down) && 64 + down >= 34)
        {
            return 64 + down;
        }

        throw SkiffException.InvalidArgument($"unknown signal `{text}`");
    }

    /// <summary>The SIG name of signal <paramref name="number"/> (SIGTERM), or its number for the real-time ones.</summary>
    public static string Name(int number) =>
        number > 0 && number < Names.Length ? "SIG" + Names[number] : number.ToString(CultureInfo.InvariantCulture);

    private static bool TryOffset(string suffix, out int offset)
    {
        offset = 0;
        return suffix.Length == 0 || int.TryParse(suffix, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out offset);
    }
}

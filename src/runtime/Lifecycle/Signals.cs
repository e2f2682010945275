using System.Globalization;
using Skiff.Core.Errors;

namespace Skiff.Runtime.Lifecycle;

/// <summary>Signal names and numbers as docker accepts them (KILL, SIGKILL, 9).</summary>
public static class Signals
{
    private static readonly Dictionary<string, int> Numbers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["HUP"] = 1, ["INT"] = 2, ["QUIT"] = 3, ["ILL"] = 4, ["TRAP"] = 5, ["ABRT"] = 6, ["IOT"] = 6, ["BUS"] = 7,
        ["FPE"] = 8, ["KILL"] = 9, ["USR1"] = 10, ["SEGV"] = 11, ["USR2"] = 12, ["PIPE"] = 13, ["ALRM"] = 14,
        ["TERM"] = 15, ["STKFLT"] = 16, ["CHLD"] = 17, ["CONT"] = 18, ["STOP"] = 19, ["TSTP"] = 20, ["TTIN"] = 21,
        ["TTOU"] = 22, ["URG"] = 23, ["XCPU"] = 24, ["XFSZ"] = 25, ["VTALRM"] = 26, ["PROF"] = 27, ["WINCH"] = 28,
        ["IO"] = 29, ["POLL"] = 29, ["PWR"] = 30, ["SYS"] = 31,
    };

    public static int Parse(string text)
    {
        string name = text.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? text[3..] : text;
        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number is > 0 and < 65)
        {
            return number;
        }

        if (Numbers.TryGetValue(name, out number))
        {
            return number;
        }

        throw SkiffException.InvalidArgument($"invalid signal: {text}", "use a name like SIGTERM or KILL, or a number");
    }
}

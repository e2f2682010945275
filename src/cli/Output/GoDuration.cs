using System.Globalization;
using System.Text;

namespace Skiff.Cli.Output;

/// <summary>Go's <c>time.Duration.String()</c> ("0s", "10ms", "3.59s", "1m2.5s", "2h0m1s"), which podman prints in top.</summary>
public static class GoDuration
{
    public static string Format(TimeSpan duration)
    {
        long nanoseconds = duration.Ticks * 100;
        if (nanoseconds == 0)
        {
            return "0s";
        }

        var text = new StringBuilder();
        if (nanoseconds < 0)
        {
            text.Append('-');
            nanoseconds = -nanoseconds;
        }

        if (nanoseconds < 1_000_000_000)
        {
            (long unit, string suffix) = nanoseconds switch
            {
                < 1_000 => (1L, "ns"),
                < 1_000_000 => (1_000L, "µs"),
                _ => (1_000_000L, "ms"),
            };
            text.Append(Fraction(nanoseconds, unit)).Append(suffix);
            return text.ToString();
        }

        long hours = nanoseconds / 3_600_000_000_000;
        long minutes = nanoseconds / 60_000_000_000 % 60;
        long rest = nanoseconds % 60_000_000_000;
        if (hours > 0)
        {
            text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        text.Append(Fraction(rest, 1_000_000_000)).Append('s');
        return text.ToString();
    }

    /// <summary><see cref="Format"/> of a number of seconds, rounded to the nearest tick: TimeSpan.FromSeconds truncates,
    /// so 2.53 s (253 clock ticks) became 2.5299999 s.</summary>
    public static string FormatSeconds(double seconds) =>
        Format(TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond)));

    private static string Fraction(long value, long unit)
    {
        string whole = (value / unit).ToString(CultureInfo.InvariantCulture);
        long remainder = value % unit;
        if (remainder == 0)
        {
            return whole;
        }

        int digits = unit.ToString(CultureInfo.InvariantCulture).Length - 1;
        return whole + "." + remainder.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
    }
}

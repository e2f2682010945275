using System.Globalization;
using System.Text;

namespace Skiff.Cli.Output;

/// <summary>
/// Go's <c>time.Duration</c> text: <c>String()</c> ("0s", "10ms", "3.59s", "1m2.5s", "2h0m1s"), which podman prints in top,
/// and <c>time.ParseDuration</c> ("10m", "1h30m", "1.5s", "-2m"), which podman's time flags accept.
/// </summary>
public static class GoDuration
{
    private const long NanosecondsPerTick = 100;

    /// <summary>
    /// <c>time.ParseDuration</c>: an optional sign, then one or more decimal numbers each with a unit (ns, us, µs, ms, s, m, h);
    /// "0" alone needs no unit. Precision beyond 100 ns (a tick) is dropped.
    /// </summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        ReadOnlySpan<char> rest = text;
        bool negative = false;
        if (!rest.IsEmpty && rest[0] is '-' or '+')
        {
            negative = rest[0] == '-';
            rest = rest[1..];
        }

        if (rest is "0")
        {
            return true;
        }

        if (rest.IsEmpty)
        {
            return false;
        }

        decimal nanoseconds = 0;
        while (!rest.IsEmpty)
        {
            int digits = 0;
            while (digits < rest.Length && (char.IsAsciiDigit(rest[digits]) || rest[digits] == '.'))
            {
                digits++;
            }

            ReadOnlySpan<char> number = rest[..digits];
            if (number.IndexOf('.') != number.LastIndexOf('.') || !number.ContainsAnyInRange('0', '9'))
            {
                return false;
            }

            rest = rest[digits..];
            int letters = 0;
            while (letters < rest.Length && !char.IsAsciiDigit(rest[letters]) && rest[letters] != '.')
            {
                letters++;
            }

            long? unit = rest[..letters] switch
            {
                "ns" => 1L,
                "us" or "\u00b5s" or "\u03bcs" => 1_000L,
                "ms" => 1_000_000L,
                "s" => 1_000_000_000L,
                "m" => 60_000_000_000L,
                "h" => 3_600_000_000_000L,
                _ => null,
            };
            if (unit is not long scale)
            {
                return false;
            }

            // A leading or trailing '.' is Go's too: ".5s" and "1.s" parse.
            string value = number.ToString();
            nanoseconds += decimal.Parse(value.StartsWith('.') ? "0" + value : value.TrimEnd('.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * scale;
            rest = rest[letters..];
            if (nanoseconds > long.MaxValue)
            {
                return false;
            }
        }

        long ticks = (long)(nanoseconds / NanosecondsPerTick);
        duration = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

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

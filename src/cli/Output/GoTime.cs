using System.Globalization;
using System.Text;

namespace Skiff.Cli.Output;

/// <summary>
/// The <c>time.Time</c> methods templates call on podman's times (<c>{{.State.StartedAt.Unix}}</c>,
/// <c>{{.Created.Format "2006-01-02"}}</c>), with Go's reference-time layouts. Times are UTC, as podman's
/// inspect prints them.
/// </summary>
public static class GoTime
{
    /// <summary>Go's layout elements, longest first where one is a prefix of another.</summary>
    private static readonly string[] Elements =
    [
        "January", "Jan", "Monday", "Mon", "MST", "2006", "-07:00:00", "-0700", "-07:00", "-07", "Z07:00:00", "Z0700", "Z07:00", "Z07",
        "002", "01", "02", "03", "04", "05", "06", "15", "__2", "_2", "1", "2", "3", "4", "5", "PM", "pm",
    ];

    /// <summary>Calls the method; false when <c>time.Time</c> has none of that name (or it needs other arguments).</summary>
    public static bool TryCall(DateTimeOffset time, string name, IReadOnlyList<object?> args, out object? result)
    {
        time = time.ToUniversalTime();
        result = (name, args.Count) switch
        {
            ("Unix", 0) => time.ToUnixTimeSeconds(),
            ("UnixMilli", 0) => time.ToUnixTimeMilliseconds(),
            ("UnixMicro", 0) => (time - DateTimeOffset.UnixEpoch).Ticks / 10,
            ("UnixNano", 0) => (time - DateTimeOffset.UnixEpoch).Ticks * 100,
            ("IsZero", 0) => time == DateTimeOffset.MinValue,
            ("Year", 0) => (long)time.Year,
            ("Month", 0) => time.ToString("MMMM", CultureInfo.InvariantCulture),
            ("Day", 0) => (long)time.Day,
            ("Hour", 0) => (long)time.Hour,
            ("Minute", 0) => (long)time.Minute,
            ("Second", 0) => (long)time.Second,
            ("Nanosecond", 0) => time.Ticks % TimeSpan.TicksPerSecond * 100,
            ("YearDay", 0) => (long)time.DayOfYear,
            ("Weekday", 0) => time.DayOfWeek.ToString(),
            ("UTC" or "Local", 0) => time,
            ("String", 0) => GoValues.FormatTime(time),
            ("Format", 1) when args[0] is string layout => Format(time, layout),
            _ => null,
        };
        return result is not null;
    }

    /// <summary>Go's <c>Time.Format</c>: the parts of the reference time <c>Mon Jan 2 15:04:05 MST 2006</c> in the layout are replaced.</summary>
    public static string Format(DateTimeOffset time, string layout)
    {
        var output = new StringBuilder(layout.Length + 16);
        int i = 0;
        while (i < layout.Length)
        {
            if (TryFraction(layout, i, out int length, out bool trim))
            {
                string digits = (time.Ticks % TimeSpan.TicksPerSecond * 100).ToString("000000000", CultureInfo.InvariantCulture)[..Math.Min(length - 1, 9)];
                if (trim)
                {
                    digits = digits.TrimEnd('0');
                }

                output.Append(digits.Length > 0 || !trim ? "." + digits : string.Empty);
                i += length;
                continue;
            }

            string? element = Elements.FirstOrDefault(e => string.CompareOrdinal(layout, i, e, 0, e.Length) == 0);
            if (element is null)
            {
                output.Append(layout[i++]);
                continue;
            }

            output.Append(Element(time, element));
            i += element.Length;
        }

        return output.ToString();
    }

    /// <summary><c>.000</c> (fixed digits) or <c>.999</c> (trailing zeros dropped) after a seconds field.</summary>
    private static bool TryFraction(string layout, int at, out int length, out bool trim)
    {
        length = 0;
        trim = false;
        if (layout[at] is not ('.' or ',') || at + 1 >= layout.Length || layout[at + 1] is not ('0' or '9'))
        {
            return false;
        }

        char digit = layout[at + 1];
        int end = at + 1;
        while (end < layout.Length && layout[end] == digit)
        {
            end++;
        }

        if (end < layout.Length && char.IsDigit(layout[end]))
        {
            return false;
        }

        length = end - at;
        trim = digit == '9';
        return true;
    }

    private static string Element(DateTimeOffset time, string element)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        int hour12 = time.Hour % 12 == 0 ? 12 : time.Hour % 12;
        return element switch
        {
            "January" => time.ToString("MMMM", c),
            "Jan" => time.ToString("MMM", c),
            "Monday" => time.ToString("dddd", c),
            "Mon" => time.ToString("ddd", c),
            "MST" => "UTC",
            "2006" => time.Year.ToString("0000", c),
            "06" => (time.Year % 100).ToString("00", c),
            "01" => time.Month.ToString("00", c),
            "1" => time.Month.ToString(c),
            "02" => time.Day.ToString("00", c),
            "_2" => time.Day.ToString(c).PadLeft(2),
            "2" => time.Day.ToString(c),
            "002" => time.DayOfYear.ToString("000", c),
            "__2" => time.DayOfYear.ToString(c).PadLeft(3),
            "15" => time.Hour.ToString("00", c),
            "03" => hour12.ToString("00", c),
            "3" => hour12.ToString(c),
            "04" => time.Minute.ToString("00", c),
            "4" => time.Minute.ToString(c),
            "05" => time.Second.ToString("00", c),
            "5" => time.Second.ToString(c),
            "PM" => time.Hour >= 12 ? "PM" : "AM",
            "pm" => time.Hour >= 12 ? "pm" : "am",
            // UTC: the numeric zones print zero offsets, the Z forms print Z.
            "-0700" => "+0000",
            "-07:00" => "+00:00",
            "-07" => "+00",
            "-07:00:00" => "+00:00:00",
            _ => "Z",
        };
    }
}

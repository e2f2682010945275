using System.Globalization;
using System.Text;

namespace Skiff.Runtime.Logs;

/// <summary>
/// Reads the RFC 3339 times of log records. The writer's own form (<c>2026-12-01T18:51:02.123456700Z</c>, see
/// <see cref="LogDrivers.Timestamp"/>) is read digit by digit: a log of millions of records is filtered by time
/// (<c>--since</c>) or printed with its times, and the general parser costs microseconds per record. Anything
/// else (a file written by another tool) goes through <see cref="DateTimeOffset.TryParse(string, IFormatProvider, DateTimeStyles, out DateTimeOffset)"/>.
/// </summary>
public static class LogTimestamp
{
    public static bool TryParse(ReadOnlySpan<byte> text, out DateTimeOffset time)
    {
        if (TryParseUtc(text, out time))
        {
            return true;
        }

        return DateTimeOffset.TryParse(Encoding.UTF8.GetString(text), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
    }

    /// <summary><c>yyyy-MM-ddTHH:mm:ss[.f…]Z</c>, up to nine fraction digits (beyond 100 ns they are dropped, as .NET keeps ticks).</summary>
    private static bool TryParseUtc(ReadOnlySpan<byte> text, out DateTimeOffset time)
    {
        time = default;
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[^1] != 'Z')
        {
            return false;
        }

        if (!Digits(text[..4], out int year) || !Digits(text[5..7], out int month) || !Digits(text[8..10], out int day)
            || !Digits(text[11..13], out int hour) || !Digits(text[14..16], out int minute) || !Digits(text[17..19], out int second))
        {
            return false;
        }

        long ticks = 0;
        ReadOnlySpan<byte> fraction = text[19..^1];
        if (!fraction.IsEmpty)
        {
            if (fraction[0] != '.' || fraction.Length < 2 || fraction.Length > 10)
            {
                return false;
            }

            long scale = TimeSpan.TicksPerSecond;
            foreach (byte b in fraction[1..])
            {
                if (b is < (byte)'0' or > (byte)'9')
                {
                    return false;
                }

                scale /= 10;
                ticks += (b - '0') * scale;
            }
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month) || hour > 23 || minute > 59 || second > 59 || year < 1)
        {
            return false;
        }

        time = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks));
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (byte b in text)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }
}

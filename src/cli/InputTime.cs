using System.Globalization;
using Skiff.Cli.Output;

namespace Skiff.Cli;

/// <summary>
/// A time typed on the command line, as podman reads <c>logs --since/--until</c>: an RFC 3339 time (up to nine
/// fraction digits; without a zone it is UTC), a date, Unix seconds (a fraction allowed), or a Go duration
/// relative to now. A duration points back for a lower bound (<c>--since 10m</c>: ten minutes ago) and
/// forward for an upper one (<c>--until 10m</c>: ten minutes from now; with <c>-f</c> that follows for ten minutes).
/// </summary>
public static class InputTime
{
    /// <summary>Go's RFC3339Nano/RFC3339, "2006-01-02T15:04:05[.999999999]", "2006-01-02Z07:00" and "2006-01-02".</summary>
    private static readonly string[] Layouts =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-ddK",
    ];

    public static bool TryParse(string text, DateTimeOffset now, bool lowerBound, out DateTimeOffset time)
    {
        if (DateTimeOffset.TryParseExact(WithinTicks(text), Layouts, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time))
        {
            return true;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && double.IsFinite(seconds)
            && Math.Abs(seconds) < 1e11)
        {
            time = DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
            return true;
        }

        if (GoDuration.TryParse(text, out TimeSpan duration))
        {
            time = lowerBound ? now - duration : now + duration;
            return true;
        }

        time = default;
        return false;
    }

    /// <summary>Go reads up to nine fraction digits, .NET's <c>F</c> specifiers seven (a tick is 100 ns): the last two are dropped.</summary>
    private static string WithinTicks(string text)
    {
        if (text.Length <= 20 || text[19] != '.')
        {
            return text;
        }

        int end = 20;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        return end - 20 > 7 ? string.Concat(text.AsSpan(0, 27), text.AsSpan(end)) : text;
    }
}

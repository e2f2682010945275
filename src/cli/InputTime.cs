using System.Globalization;
using Skiff.Cli.Output;

namespace Skiff.Cli;

/// <summary>
/// A time typed on the command line. podman 4.3 reads two grammars, both here:
/// <list type="bullet">
/// <item><see cref="TryParse"/>, <c>logs --since/--until</c> (its ParseInputTime): an RFC 3339 time (up to nine
/// fraction digits; without a zone it is UTC), a date, Unix seconds (any float), or a Go duration relative to now.
/// A duration points back for a lower bound (<c>--since 10m</c>: ten minutes ago) and forward for an upper one
/// (<c>--until 10m</c>: ten minutes from now; with <c>-f</c> that follows for ten minutes).</item>
/// <item><see cref="TryParseUntil"/>, the <c>until=</c> filter of prune and ls verbs (the timestamp reading podman
/// shares with docker): the same times plus hour-only and minute-only ones (2006-01-02T15, 2006-01-02T15:04),
/// a time without a zone is local, Unix seconds are digits with an optional fraction (a leading '+' but no minus, no exponent,
/// "1.": refused), and a Go duration always points back, kept to whole seconds.</item>
/// </list>
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

    /// <summary>The <see cref="TryParseUntil"/> layouts: Go's hour ("15") takes one or two digits, as H does.</summary>
    private static readonly string[] LocalUntilLayouts =
    [
        "yyyy-MM-dd'T'H:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'H:mm:ss",
        "yyyy-MM-dd'T'H:mm",
        "yyyy-MM-dd'T'H",
        "yyyy-MM-dd",
    ];

    private static readonly string[] ZonedUntilLayouts = LocalUntilLayouts.Select(layout => layout + "K").ToArray();

    /// <summary>
    /// A <c>--since</c>/<c>--until</c> flag's value by <see cref="TryParse"/> (<c>--since</c> is the lower bound),
    /// null when the flag is absent; an unreadable time is podman's error.
    /// </summary>
    public static DateTimeOffset? ParseFlag(string flag, string? value, DateTimeOffset now)
    {
        if (value is null)
        {
            return null;
        }

        return TryParse(value, now, lowerBound: flag == "--since", out DateTimeOffset time)
            ? time
            : throw Core.Errors.SkiffException.InvalidArgument($"parsing {flag} \"{value}\": unable to interpret time value", "use an RFC 3339 time, a Unix time or a duration like 10m");
    }

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

    /// <summary>
    /// podman's <c>until=</c> value: objects created before <paramref name="time"/> match. A zone-less time is read in
    /// <paramref name="zone"/> (the local one; podman honours TZ here, unlike for logs).
    /// </summary>
    public static bool TryParseUntil(string text, DateTimeOffset now, TimeZoneInfo zone, out DateTimeOffset time)
    {
        // "0" is Unix time 0, not a zero duration (both mean the same here, but this is podman's order).
        if (text != "0" && GoDuration.TryParse(text, out TimeSpan ago))
        {
            time = DateTimeOffset.FromUnixTimeSeconds((now - ago).ToUnixTimeSeconds());
            return true;
        }

        if (TryParseUntilTimestamp(text, zone, out time))
        {
            return true;
        }

        // A '-' outside a duration marks a malformed date ("2026-13-01", "-5"), never Unix seconds.
        return !text.Contains('-') && TryParseUnixSeconds(text, out time);
    }

    /// <summary>A zone is there when the text has a Z or a '+', or a third '-' (2006-01-02T15:04:05-07:00); the layout then ends in one.</summary>
    private static bool TryParseUntilTimestamp(string text, TimeZoneInfo zone, out DateTimeOffset time)
    {
        time = default;
        (int start, int end) = FractionDigits(text);
        if (end - start > 9)
        {
            // Go's .999999999 stops after nine digits and the rest is not a zone.
            return false;
        }

        string within = WithinTicks(text);
        if (text.AsSpan().IndexOfAny("zZ+") >= 0 || text.AsSpan().Count('-') == 3)
        {
            return DateTimeOffset.TryParseExact(within, ZonedUntilLayouts, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
        }

        if (!DateTime.TryParseExact(within, LocalUntilLayouts, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime local))
        {
            return false;
        }

        time = new DateTimeOffset(local, zone.GetUtcOffset(local));
        return true;
    }

    /// <summary>Digits (a '+' allowed), then optionally '.' and more digits; far past year 9999 it is the latest time there is.</summary>
    private static bool TryParseUnixSeconds(string text, out DateTimeOffset time)
    {
        time = default;
        string[] parts = text.Split('.', 2);
        if (!long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long seconds)
            || (parts.Length == 2 && (parts[1].Length == 0 || parts[1].AsSpan().ContainsAnyExcept("0123456789"))))
        {
            return false;
        }

        if (seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            time = DateTimeOffset.MaxValue;
            return true;
        }

        long ticks = parts.Length == 2 ? long.Parse(parts[1].PadRight(7, '0')[..7], CultureInfo.InvariantCulture) : 0;
        time = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(ticks);
        return true;
    }

    /// <summary>Go reads up to nine fraction digits, .NET's <c>F</c> specifiers seven (a tick is 100 ns): the last two are dropped.</summary>
    private static string WithinTicks(string text)
    {
        (int start, int end) = FractionDigits(text);
        return end - start > 7 ? string.Concat(text.AsSpan(0, start + 7), text.AsSpan(end)) : text;
    }

    /// <summary>Where the digits after the first '.' are, [start, end); empty without a '.'.</summary>
    private static (int Start, int End) FractionDigits(string text)
    {
        int start = text.IndexOf('.') + 1;
        if (start == 0)
        {
            return (0, 0);
        }

        int end = start;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        return (start, end);
    }
}

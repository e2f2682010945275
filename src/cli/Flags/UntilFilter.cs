using Skiff.Core.Errors;

namespace Skiff.Cli.Flags;

/// <summary>
/// podman's <c>until=</c> filter value (container prune, volume prune and ls, images and image prune, network ls and
/// prune): objects created before the time it
/// names match. Read by <see cref="InputTime.TryParseUntil"/>: a time, a date, Unix seconds, or a Go duration ago.
/// </summary>
public static class UntilFilter
{
    public static DateTimeOffset Parse(string value, DateTimeOffset now) => Parse(value, now, TimeZoneInfo.Local);

    /// <summary>The one until= of container prune and network ls/prune (podman refuses a second there); null without one.</summary>
    public static DateTimeOffset? ParseOne(IReadOnlyList<string> values, DateTimeOffset now) => values.Count switch
    {
        0 => null,
        1 => Parse(values[0], now),
        _ => throw SkiffException.InvalidArgument("specify exactly one timestamp for until", "give --filter until=… once"),
    };

    /// <summary>The time <paramref name="value"/> names; a time without a zone is one in <paramref name="zone"/>.</summary>
    public static DateTimeOffset Parse(string value, DateTimeOffset now, TimeZoneInfo zone) =>
        InputTime.TryParseUntil(value, now, zone, out DateTimeOffset time)
            ? time
            : throw SkiffException.InvalidArgument(
                $"invalid until filter \"{value}\"",
                "use a time such as 2006-01-02T15:04:05Z (a date, hour or minute alone is fine; no zone is local), Unix seconds, or a duration ago such as 10m or 1h30m");
}

using System.Globalization;
using Skiff.Core.Errors;

namespace Skiff.Cli.Flags;

/// <summary>podman's <c>until=</c> filter value of container and volume prune: a timestamp, Unix seconds, or a duration ago (10m, 1.5h).</summary>
public static class UntilFilter
{
    /// <summary>The time <paramref name="value"/> names; objects created before it match.</summary>
    public static DateTimeOffset Parse(string value, DateTimeOffset now)
    {
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset time))
        {
            return time;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        if (value.Length > 1 && double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double amount) && value[^1] is 's' or 'm' or 'h')
        {
            return now - (value[^1] switch { 's' => TimeSpan.FromSeconds(amount), 'm' => TimeSpan.FromMinutes(amount), _ => TimeSpan.FromHours(amount) });
        }

        throw SkiffException.InvalidArgument($"invalid until filter \"{value}\"", "use a timestamp, Unix seconds or a duration such as 10m or 24h");
    }
}

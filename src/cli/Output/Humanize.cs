namespace Skiff.Cli.Output;

/// <summary>
/// Human-readable durations and sizes exactly as docker prints them (go-units <c>HumanDuration</c> and
/// <c>HumanSizeWithPrecision(size, 3)</c>), so scripts and eyes trained on docker see the same strings.
/// </summary>
public static class Humanize
{
    private static readonly string[] DecimalUnits = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];

    /// <summary>"About a minute ago", "2 days ago", as docker's CREATED column.</summary>
    public static string Ago(DateTimeOffset then, DateTimeOffset now) => Duration(now - then) + " ago";

    public static string Duration(TimeSpan duration)
    {
        long seconds = (long)duration.TotalSeconds;
        if (seconds < 1)
        {
            return "Less than a second";
        }

        if (seconds == 1)
        {
            return "1 second";
        }

        if (seconds < 60)
        {
            return $"{seconds} seconds";
        }

        long minutes = (long)duration.TotalMinutes;
        if (minutes == 1)
        {
            return "About a minute";
        }

        if (minutes < 60)
        {
            return $"{minutes} minutes";
        }

        // go-units rounds hours (math.Round: half away from zero) but truncates every coarser unit.
        long hours = (long)Math.Round(duration.TotalHours, MidpointRounding.AwayFromZero);
        if (hours == 1)
        {
            return "About an hour";
        }

        if (hours < 48)
        {
            return $"{hours} hours";
        }

        if (hours < 24 * 7 * 2)
        {
            return $"{hours / 24} days";
        }

        if (hours < 24 * 30 * 2)
        {
            return $"{hours / 24 / 7} weeks";
        }

        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24 / 30} months";
        }

        return $"{(long)duration.TotalHours / 24 / 365} years";
    }

    /// <summary>Decimal units with three significant digits: <c>7.37MB</c>, <c>512B</c>, <c>1.2GB</c>.</summary>
    public static string Size(long bytes) => Size(bytes, 3);

    /// <summary>go-units <c>HumanSizeWithPrecision</c>: <c>HumanSize</c> (podman's <c>system df</c>) is precision 4, <c>2.141MB</c>.</summary>
    public static string Size(long bytes, int precision)
    {
        double size = bytes;
        int unit = 0;
        while (size >= 1000 && unit < DecimalUnits.Length - 1)
        {
            size /= 1000;
            unit++;
        }

        return GoNumbers.FormatG(size, precision) + DecimalUnits[unit];
    }
}

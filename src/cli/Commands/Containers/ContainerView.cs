using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>How a container's command and ages read in ps and inspect.</summary>
public static class ContainerView
{
    public static string Command(ContainerConfig config)
    {
        string text = string.Join(' ', config.Args);
        return text;
    }

    /// <summary>docker's go-units HumanDuration.</summary>
    public static string Human(TimeSpan span)
    {
        double seconds = Math.Max(0, span.TotalSeconds);
        if (seconds < 1)
        {
            return "Less than a second";
        }

        if (seconds < 60)
        {
            return seconds < 2 ? "1 second" : $"{(int)seconds} seconds";
        }

        double minutes = span.TotalMinutes;
        if (minutes < 2)
        {
            return "About a minute";
        }

        if (minutes < 46)
        {
            return $"{(int)minutes} minutes";
        }

        double hours = span.TotalHours;
        if (hours < 1.5)
        {
            return "About an hour";
        }

        if (hours < 48)
        {
            return $"{(int)Math.Round(hours)} hours";
        }

        double days = span.TotalDays;
        if (days < 14)
        {
            return $"{(int)days} days";
        }

        if (days < 60)
        {
            return $"{(int)(days / 7)} weeks";
        }

        return days < 730 ? $"{(int)(days / 30)} months" : $"{(int)(days / 365)} years";
    }

    /// <summary>Go's RFC 3339 with nanoseconds (trailing zeros dropped), as podman's JSON writes times.</summary>
    public static string Rfc3339(DateTimeOffset time) => Output.GoValues.FormatRfc3339Nano(time.ToUniversalTime());
}

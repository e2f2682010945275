using System.Globalization;
using System.Text;
using Skiff.Runtime.Spec;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// How podman 4.3's top (its psgo library) prints the values that are more than a number: capability sets,
/// the seccomp mode and the start time; and how skiff keeps a process's own text inside its table cell.
/// </summary>
public static class TopFormats
{
    /// <summary>Every capability this kernel ABI knows (psgo's FullCAPs): printed as "full".</summary>
    private static readonly ulong FullSet = (1UL << (Capabilities.Last + 1)) - 1;

    /// <summary>"full" for every capability, "none" for none, else the names without CAP_, sorted, comma-separated ("unknown" for a bit past the last known one).</summary>
    public static string CapabilitySet(ulong mask)
    {
        if (mask == FullSet)
        {
            return "full";
        }

        var names = new List<string>();
        for (int bit = 0; bit < 64; bit++)
        {
            if (((mask >> bit) & 1) == 1)
            {
                names.Add(bit <= Capabilities.Last ? Capabilities.All[bit]["CAP_".Length..] : "unknown");
            }
        }

        return names.Count == 0 ? "none" : string.Join(',', names.Order(StringComparer.Ordinal));
    }

    public static string Seccomp(int? mode) => mode switch
    {
        0 => "disabled",
        1 => "strict",
        2 => "filter",
        _ => "?",
    };

    /// <summary>
    /// The start time as Go prints a <c>time.Time</c> in the local zone, to the second as psgo computes it (whole
    /// seconds since boot plus the boot time): "2026-12-02 14:16:23 +0000 UTC".
    /// </summary>
    public static string StartTime(ulong startTicks, long bootTime, TimeZoneInfo zone)
    {
        long seconds = (long)(startTicks / 100) + bootTime; // USER_HZ ticks, truncated as psgo does
        DateTimeOffset utc = DateTimeOffset.FromUnixTimeSeconds(seconds);
        TimeSpan offset = zone.GetUtcOffset(utc);
        DateTimeOffset local = utc.ToOffset(offset);
        string numeric = (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hhmm", CultureInfo.InvariantCulture);
        return local.ToString("yyyy-MM-dd HH:mm:ss ", CultureInfo.InvariantCulture) + numeric + " " + ZoneName(zone, utc, offset, numeric);
    }

    /// <summary>
    /// A process's own text (its comm, argv, label) with control characters shown as '?', as ps(1) shows them: a tab
    /// or newline in a name must not make a column or a row of its own in the table.
    /// </summary>
    public static string Cell(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var cell = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            cell.Append(char.IsControl(c) ? '?' : c);
        }

        return cell.ToString();
    }

    /// <summary>Go prints the zone's abbreviation, or the numeric offset again when the zone has none.</summary>
    private static string ZoneName(TimeZoneInfo zone, DateTimeOffset utc, TimeSpan offset, string numeric)
    {
        if (offset == TimeSpan.Zero && (zone.Id is "UTC" or "Etc/UTC" or "Universal" or "Zulu" or "Etc/Universal" or "Etc/Zulu" || zone.HasSameRules(TimeZoneInfo.Utc)))
        {
            return "UTC";
        }

        string name = zone.IsDaylightSavingTime(utc) ? zone.DaylightName : zone.StandardName;
        return name.Length is > 0 and <= 6 && !name.Contains(' ') ? name : numeric;
    }
}

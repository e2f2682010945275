using System.Globalization;

namespace Skiff.Runtime.Memory;

/// <summary>Parses /proc/PID/smaps (proc(5)): a header line per mapping, then "Key: value kB" lines.</summary>
public static class SmapsParser
{
    public static List<MappedRegion> Parse(string text)
    {
        var regions = new List<MappedRegion>();
        MappedRegion? current = null;
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            int colon = line.IndexOf(':');
            int space = line.IndexOf(' ');
            if (colon < 0 || (space >= 0 && space < colon))
            {
                // A header: "start-end perms offset dev inode   path".
                if (current is not null)
                {
                    regions.Add(current);
                }

                current = ParseHeader(line);
                continue;
            }

            if (current is null)
            {
                continue;
            }

            string key = line[..colon];
            string value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "Rss":
                    current = current with { RssKilobytes = Kilobytes(value) };
                    break;
                case "Private_Dirty":
                    current = current with { PrivateDirtyKilobytes = Kilobytes(value) };
                    break;
                case "Anonymous":
                    current = current with { AnonymousKilobytes = Kilobytes(value) };
                    break;
                case "Locked":
                    current = current with { Locked = Kilobytes(value) != 0 };
                    break;
            }
        }

        if (current is not null)
        {
            regions.Add(current);
        }

        return regions;
    }

    private static MappedRegion? ParseHeader(string line)
    {
        string[] fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        int dash = fields[0].IndexOf('-');
        if (fields.Length < 5 || dash < 0)
        {
            return null;
        }

        return new MappedRegion(
            ulong.Parse(fields[0].AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
            ulong.Parse(fields[0].AsSpan(dash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
            fields[1],
            ulong.Parse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture),
            fields.Length > 5 ? fields[5].Trim() : string.Empty,
            0,
            0,
            0,
            false);
    }

    private static long Kilobytes(string value)
    {
        int end = value.IndexOf(' ');
        return long.TryParse(end < 0 ? value : value[..end], NumberStyles.None, CultureInfo.InvariantCulture, out long kilobytes) ? kilobytes : 0;
    }
}

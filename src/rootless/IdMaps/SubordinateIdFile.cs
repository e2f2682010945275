using System.Globalization;

namespace Skiff.Rootless.IdMaps;

/// <summary>
/// Reads /etc/subuid and /etc/subgid (<c>name-or-uid:start:count</c> per line, see subuid(5)).
/// </summary>
public static class SubordinateIdFile
{
    /// <summary>The ranges that belong to the user, matched by name or by numeric id.</summary>
    public static IReadOnlyList<SubordinateRange> Parse(string text, string userName, uint userId)
    {
        var ranges = new List<SubordinateRange>();
        string id = userId.ToString(CultureInfo.InvariantCulture);
        foreach (string rawLine in text.Split('\n'))
        {
            string line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            string[] fields = line.Split(':');
            if (fields.Length != 3 || (fields[0] != userName && fields[0] != id))
            {
                continue;
            }

            if (uint.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out uint start)
                && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint count)
                && count > 0)
            {
                ranges.Add(new SubordinateRange(start, count));
            }
        }

        return ranges;
    }

    public static IReadOnlyList<SubordinateRange> Read(string path, string userName, uint userId) =>
        File.Exists(path) ? Parse(File.ReadAllText(path), userName, userId) : [];
}

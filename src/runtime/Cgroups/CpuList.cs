using System.Globalization;
using Skiff.Core.Errors;

namespace Skiff.Runtime.Cgroups;

/// <summary>The kernel's cpu list syntax ("0-2,4"), as cpuset.cpus takes it.</summary>
public static class CpuList
{
    /// <summary>Returns the cpus named by <paramref name="text"/>, or throws for a malformed list.</summary>
    public static IReadOnlySet<int> Parse(string text, string flag)
    {
        var cpus = new SortedSet<int>();
        foreach (string part in text.Split(','))
        {
            string[] bounds = part.Trim().Split('-');
            if (bounds.Length is < 1 or > 2
                || !int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first)
                || !TryLast(bounds, first, out int last)
                || last < first
                || last > 8191)
            {
                throw SkiffException.InvalidArgument(
                    $"invalid value for {flag}: '{text}'",
                    "use a list of cpu numbers and ranges, e.g. 0-2,4");
            }

            for (int cpu = first; cpu <= last; cpu++)
            {
                cpus.Add(cpu);
            }
        }

        return cpus;
    }

    private static bool TryLast(string[] bounds, int first, out int last)
    {
        if (bounds.Length == 1)
        {
            last = first;
            return true;
        }

        return int.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out last);
    }
}

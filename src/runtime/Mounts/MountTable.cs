using Skiff.Core.Files;

namespace Skiff.Runtime.Mounts;

/// <summary>This mount namespace's mount table, as /proc/self/mountinfo lists it.</summary>
public static class MountTable
{
    /// <summary>True when something is mounted at <paramref name="path"/> in this mount namespace.</summary>
    public static bool IsMountPoint(string path)
    {
        string full = Path.GetFullPath(path).TrimEnd('/');
        foreach (string line in KernelFile.ReadAllText("/proc/self/mountinfo").Split('\n'))
        {
            // Fields: id parent major:minor root mountpoint ...; the kernel escapes space, tab, newline and backslash in octal.
            string[] fields = line.Split(' ', 6);
            if (fields.Length > 4 && Unescape(fields[4]) == full)
            {
                return true;
            }
        }

        return false;
    }

    private static string Unescape(string field) => field.Contains('\\', StringComparison.Ordinal)
        ? field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal)
        : field;
}

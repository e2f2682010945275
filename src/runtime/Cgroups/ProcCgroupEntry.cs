using Skiff.Core.Files;

namespace Skiff.Runtime.Cgroups;

/// <summary>One line of /proc/PID/cgroup: "hierarchy-id:controller-list:path" (see cgroups(7)).</summary>
/// <param name="HierarchyId">0 for the unified (v2) hierarchy.</param>
/// <param name="Controllers">The v1 controllers of the hierarchy ("cpu,cpuacct", "name=systemd"); empty for v2.</param>
/// <param name="Path">The process's group, relative to the hierarchy's mount, starting with '/'.</param>
public sealed record ProcCgroupEntry(string HierarchyId, string Controllers, string Path)
{
    public bool IsUnified => HierarchyId == "0" && Controllers.Length == 0;

    /// <summary>A v1 hierarchy with real controllers (not a named one such as name=systemd).</summary>
    public bool IsV1Controller => Controllers.Length > 0 && !Controllers.StartsWith("name=", StringComparison.Ordinal);

    /// <summary>The well-formed lines of a /proc/PID/cgroup text; anything else is skipped.</summary>
    public static IReadOnlyList<ProcCgroupEntry> Parse(string text)
    {
        var entries = new List<ProcCgroupEntry>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split(':', 3);
            if (fields.Length == 3 && fields[2].StartsWith('/'))
            {
                entries.Add(new ProcCgroupEntry(fields[0], fields[1], fields[2]));
            }
        }

        return entries;
    }

    /// <summary>The unified-hierarchy path in a /proc/PID/cgroup text, or null when there is none.</summary>
    public static string? UnifiedPath(string text) => Parse(text).LastOrDefault(e => e.IsUnified)?.Path;

    /// <summary>Reads a /proc/PID/cgroup file; null when it cannot be read (the process is gone).</summary>
    public static string? ReadUnifiedPath(string procCgroupFile) => TryRead(procCgroupFile)?.LastOrDefault(e => e.IsUnified)?.Path;

    /// <summary>The lines of a /proc/PID/cgroup file; null when it cannot be read (the process is gone).</summary>
    public static IReadOnlyList<ProcCgroupEntry>? TryRead(string procCgroupFile)
    {
        try
        {
            return Parse(KernelFile.ReadAllText(procCgroupFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

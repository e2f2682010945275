using Skiff.Runtime.Cgroups;

namespace Skiff.Runtime.Mounts;

/// <summary>Which host directories show a container its own cgroup: one per mounted hierarchy that has the group.</summary>
public static class CgroupMountSources
{
    /// <returns>(name under /sys/fs/cgroup, host directory of the group in that hierarchy); on cgroup v2 one entry with an empty name.</returns>
    public static IReadOnlyList<(string Name, string Directory)> For(CgroupLayout layout, string cgroupsPath)
    {
        string relative = cgroupsPath.Trim('/');
        var sources = new List<(string, string)>();
        if (layout.Mode == CgroupMode.Unified)
        {
            // One hierarchy: the group itself becomes /sys/fs/cgroup (an empty name).
            string group = Path.Combine(layout.UnifiedMount!, relative);
            return Directory.Exists(group) ? [(string.Empty, group)] : [];
        }

        foreach (string mountPoint in layout.V1Mounts.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            string directory = Path.Combine(mountPoint, relative);
            if (Directory.Exists(directory))
            {
                sources.Add((Path.GetFileName(mountPoint), directory));
            }
        }

        return sources;
    }
}

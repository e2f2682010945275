namespace Skiff.Runtime.Cgroups;

/// <summary>Where the cgroup hierarchies are mounted and which controllers each has.</summary>
/// <param name="Mode">Legacy, hybrid or unified.</param>
/// <param name="V1Mounts">v1 controller name → mount point ("memory" → /sys/fs/cgroup/memory); a co-mounted
/// hierarchy (cpu,cpuacct) appears once per controller with the same mount point.</param>
/// <param name="UnifiedMount">The cgroup2 mount point, if any.</param>
/// <param name="UnifiedControllers">Controllers available at the cgroup2 root (its cgroup.controllers).</param>
/// <param name="NamedV1Mounts">v1 hierarchies without a controller (name=systemd), where crun and runc make a
/// container's group too; null when none or not read.</param>
public sealed record CgroupLayout(
    CgroupMode Mode,
    IReadOnlyDictionary<string, string> V1Mounts,
    string? UnifiedMount,
    IReadOnlySet<string> UnifiedControllers,
    IReadOnlyList<string>? NamedV1Mounts = null)
{
    /// <summary>
    /// Where the hierarchy of a /proc/PID/cgroup line is mounted: the cgroup2 mount for the unified line, a v1 hierarchy by
    /// one of its controllers, a named one (name=systemd) by its name; null when it is not mounted here.
    /// </summary>
    public string? MountPointOf(ProcCgroupEntry entry)
    {
        if (entry.IsUnified)
        {
            return UnifiedMount;
        }

        if (entry.IsV1Controller)
        {
            foreach (string controller in entry.Controllers.Split(','))
            {
                if (V1Mounts.TryGetValue(controller, out string? mountPoint))
                {
                    return mountPoint;
                }
            }

            return null;
        }

        return entry.Controllers.StartsWith("name=", StringComparison.Ordinal)
            ? NamedV1Mounts?.FirstOrDefault(m => Path.GetFileName(m) == entry.Controllers["name=".Length..])
            : null;
    }

    /// <summary>The v1 controllers skiff manages, in the order it creates groups.</summary>
    public static IReadOnlyList<string> ManagedV1Controllers { get; } = ["memory", "cpu", "cpuacct", "cpuset", "pids", "blkio", "freezer", "devices"];
}

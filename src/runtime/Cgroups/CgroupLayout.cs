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
    /// <summary>The v1 controllers skiff manages, in the order it creates groups.</summary>
    public static IReadOnlyList<string> ManagedV1Controllers { get; } = ["memory", "cpu", "cpuacct", "cpuset", "pids", "blkio", "freezer", "devices"];
}

using Skiff.Core.Errors;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Containers;

/// <summary>
/// The built-in runtime's handling of linux.cgroupsPath and linux.resources: the group is prepared with its
/// limits before the init sets up mounts (so it can show the container its own group), and the init is
/// moved into it before start.
/// </summary>
public sealed class RuntimeCgroup(ICgroupManager manager, string group)
{
    public string Group => group;

    /// <returns>null when the container runs in the caller's cgroup: no path and no limits, or rootless without limits (as runc).</returns>
    public static RuntimeCgroup? Prepare(RuntimeSpec spec, string containerId, bool rootless)
    {
        CgroupResources resources = FromSpec(spec.Linux?.Resources);
        string? path = spec.Linux?.CgroupsPath;
        if (path is null && resources.IsEmpty)
        {
            return null;
        }

        if (rootless)
        {
            return resources.IsEmpty
                ? null
                : throw SkiffException.PrerequisiteMissing(
                    $"cannot apply linux.resources ({string.Join(", ", resources.RequiredControllers().Select(c => c.Controller).Distinct())}): the built-in runtime manages cgroups only as root",
                    ContainerCgroups.NoCgroupHint);
        }

        string relative = (path ?? "skiff/" + containerId).Trim('/');
        string parent = Path.GetDirectoryName(relative) ?? string.Empty;
        CgroupLayout layout = CgroupLayoutDetector.Detect();
        ICgroupManager manager = layout.Mode switch
        {
            CgroupMode.Unified => new CgroupV2Manager(layout.UnifiedMount!, parent),
            CgroupMode.None => throw SkiffException.PrerequisiteMissing("cannot use linux.cgroupsPath: no cgroup filesystem is mounted"),
            _ => new CgroupV1Manager(layout, parent),
        };
        return new RuntimeCgroup(manager, manager.Prepare(Path.GetFileName(relative), resources));
    }

    public static CgroupResources FromSpec(ResourcesSpec? spec) => spec is null
        ? CgroupResources.None
        : new CgroupResources(
            Memory: spec.Memory?.Limit,
            MemorySwap: spec.Memory?.Swap,
            CpuQuota: spec.Cpu?.Quota,
            CpuPeriod: spec.Cpu?.Period,
            CpuShares: spec.Cpu?.Shares,
            CpusetCpus: spec.Cpu?.Cpus,
            PidsLimit: spec.Pids?.Limit,
            BlkioWeight: spec.BlockIo?.Weight);

    public void AddProcess(int pid) => manager.AddProcess(group, pid);

    /// <summary>
    /// Whether the init may join the group before it builds the root rather than after. Pages it touches
    /// after joining are charged to the group and its threads count against pids.max: only without a
    /// memory limit and with room for the runtime's threads, so a small limit never trips over skiff's own setup.
    /// </summary>
    public static bool MayJoinDuringSetup(RuntimeSpec spec) =>
        spec.Linux?.Resources?.Memory?.Limit is null && spec.Linux?.Resources?.Pids?.Limit is null or <= 0 or >= 64;

    /// <summary>Cleanup after a failed create must not hide the error that caused it.</summary>
    public void TryRemove()
    {
        try
        {
            manager.Remove(group);
        }
        catch (Exception e) when (e is SkiffException or IOException or UnauthorizedAccessException)
        {
        }
    }
}

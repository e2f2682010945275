namespace Skiff.Runtime.Cgroups;

/// <summary>
/// The limits a container asked for, in docker's meaning. Null means "not asked"; a manager must
/// either enforce every non-null value or refuse to create the group.
/// </summary>
/// <param name="Memory">Hard memory limit in bytes (--memory).</param>
/// <param name="MemorySwap">Memory plus swap in bytes, -1 for unlimited swap (--memory-swap, docker semantics).</param>
/// <param name="CpuQuota">CFS quota in microseconds per <paramref name="CpuPeriod"/> (--cpus, --cpu-quota).</param>
/// <param name="CpuPeriod">CFS period in microseconds (--cpu-period, 100000 with --cpus).</param>
/// <param name="CpuShares">Relative cpu weight in cgroup v1 units, 2..262144 (--cpu-shares).</param>
/// <param name="CpusetCpus">Allowed cpus as a kernel list, e.g. "0-2,4" (--cpuset-cpus).</param>
/// <param name="PidsLimit">Maximum number of tasks; -1 or 0 means unlimited (--pids-limit).</param>
/// <param name="BlkioWeight">Block IO weight in cgroup v1 units, 10..1000 (--blkio-weight).</param>
/// <param name="MemoryReservation">Memory soft limit in bytes (--memory-reservation: v1 memory.soft_limit_in_bytes, v2 memory.low).</param>
/// <param name="BlockIoLimits">Per-device rates and weights (--device-read-bps ..., --blkio-weight-device); null for none.</param>
/// <param name="MemorySwappiness">The kernel's swap tendency for the group, 0..100 (--memory-swappiness; cgroup v1 only).</param>
/// <param name="OomKillDisable">True: the OOM killer leaves the group alone (--oom-kill-disable; cgroup v1 only).</param>
/// <param name="CpusetMems">Allowed memory nodes as a kernel list, e.g. "0-1" (--cpuset-mems).</param>
/// <param name="Devices">The devices cgroup's rules from a bundle (linux.resources.devices), null for none, with
/// <see cref="DeviceRule.Defaults"/> appended: v1's devices.deny/devices.allow, v2's eBPF program (<see cref="DeviceFilter"/>).</param>
public sealed record CgroupResources(
    long? Memory = null,
    long? MemorySwap = null,
    long? CpuQuota = null,
    ulong? CpuPeriod = null,
    ulong? CpuShares = null,
    string? CpusetCpus = null,
    long? PidsLimit = null,
    ushort? BlkioWeight = null,
    long? MemoryReservation = null,
    IReadOnlyList<BlockIoLimit>? BlockIoLimits = null,
    IReadOnlyList<DeviceRule>? Devices = null,
    ulong? MemorySwappiness = null,
    bool? OomKillDisable = null,
    string? CpusetMems = null)
{
    public static CgroupResources None { get; } = new();

    public bool IsEmpty => this == None;

    /// <summary>The cgroup controllers (v1 names) that must exist to enforce these limits, with the flag that needs each.</summary>
    public IReadOnlyList<(string Controller, string Flag)> RequiredControllers()
    {
        var list = new List<(string, string)>();
        if (Memory is not null)
        {
            list.Add(("memory", "--memory"));
        }

        if (MemorySwap is not null)
        {
            list.Add(("memory", "--memory-swap"));
        }

        if (MemoryReservation is not null)
        {
            list.Add(("memory", "--memory-reservation"));
        }

        if (CpuQuota is not null || CpuPeriod is not null)
        {
            list.Add(("cpu", "--cpus"));
        }

        if (CpuShares is not null)
        {
            list.Add(("cpu", "--cpu-shares"));
        }

        if (CpusetCpus is not null)
        {
            list.Add(("cpuset", "--cpuset-cpus"));
        }

        if (MemorySwappiness is not null)
        {
            list.Add(("memory", "--memory-swappiness"));
        }

        if (OomKillDisable is not null)
        {
            list.Add(("memory", "--oom-kill-disable"));
        }

        if (CpusetMems is not null)
        {
            list.Add(("cpuset", "--cpuset-mems"));
        }

        if (PidsLimit is not null)
        {
            list.Add(("pids", "--pids-limit"));
        }

        if (BlkioWeight is not null)
        {
            list.Add(("blkio", "--blkio-weight"));
        }

        foreach (BlockIoLimit limit in BlockIoLimits ?? [])
        {
            list.Add(("blkio", limit.Flag));
        }

        return list;
    }

    /// <summary>Values of <paramref name="update"/> replace ours where set (skiff update); per-device block IO settings are merged device by device.</summary>
    public CgroupResources With(CgroupResources update) => new(
        update.Memory ?? Memory,
        update.MemorySwap ?? MemorySwap,
        update.CpuQuota ?? CpuQuota,
        update.CpuPeriod ?? CpuPeriod,
        update.CpuShares ?? CpuShares,
        update.CpusetCpus ?? CpusetCpus,
        update.PidsLimit ?? PidsLimit,
        update.BlkioWeight ?? BlkioWeight,
        update.MemoryReservation ?? MemoryReservation,
        BlockIoLimit.Merge(BlockIoLimits, update.BlockIoLimits),
        update.Devices ?? Devices,
        update.MemorySwappiness ?? MemorySwappiness,
        update.OomKillDisable ?? OomKillDisable,
        update.CpusetMems ?? CpusetMems);
}

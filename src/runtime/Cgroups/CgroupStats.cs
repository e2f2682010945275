namespace Skiff.Runtime.Cgroups;

/// <summary>A snapshot of a container's cgroup counters, in the units docker stats reports.</summary>
/// <param name="MemoryUsage">Bytes in use, excluding inactive page cache (as docker computes it).</param>
/// <param name="MemoryLimit">Bytes allowed, null when unlimited.</param>
/// <param name="CpuUsageNanoseconds">Total cpu time consumed by the group.</param>
/// <param name="Pids">Current number of tasks.</param>
/// <param name="PidsLimit">Maximum tasks, null when unlimited.</param>
/// <param name="BlockRead">Bytes read from block devices.</param>
/// <param name="BlockWrite">Bytes written to block devices.</param>
public sealed record CgroupStats(
    ulong MemoryUsage,
    ulong? MemoryLimit,
    ulong CpuUsageNanoseconds,
    ulong Pids,
    ulong? PidsLimit,
    ulong BlockRead,
    ulong BlockWrite);

using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Lifecycle;

/// <summary>Turns <see cref="CgroupResources"/> into the OCI runtime spec's linux.resources object.</summary>
public static class OciResources
{
    public static ResourcesSpec ToSpec(CgroupResources r) => new()
    {
        // OCI's "swap" is memory plus swap, the same meaning as docker's --memory-swap.
        Memory = r.Memory is not null || r.MemorySwap is not null || r.MemoryReservation is not null
            ? new MemoryResources { Limit = r.Memory, Reservation = r.MemoryReservation, Swap = r.MemorySwap }
            : null,
        Cpu = r.CpuQuota is not null || r.CpuPeriod is not null || r.CpuShares is not null || r.CpusetCpus is not null
            ? new CpuResources { Shares = r.CpuShares, Quota = r.CpuQuota, Period = r.CpuPeriod, Cpus = r.CpusetCpus }
            : null,
        Pids = r.PidsLimit is { } pids ? new PidsResources { Limit = pids } : null,
        BlockIo = r.BlkioWeight is { } weight ? new BlockIoResources { Weight = weight } : null,
    };
}

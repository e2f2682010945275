using Skiff.Cli.Output;
using Skiff.Runtime.Cgroups;

namespace Skiff.Cli.Commands.Containers;

/// <summary>The cgroup limits in docker's HostConfig fields (0 means "not set", as docker prints them).</summary>
public static class ResourcesView
{
    public static void AddTo(TemplateObject host, CgroupResources r)
    {
        host["Memory"] = r.Memory ?? 0L;
        host["MemorySwap"] = r.MemorySwap ?? 0L;
        host["MemoryReservation"] = r.MemoryReservation ?? 0L;
        host["NanoCpus"] = r.CpuQuota is > 0 && r.CpuPeriod is > 0 ? r.CpuQuota.Value * 1_000_000_000 / (long)r.CpuPeriod.Value : 0L;
        host["CpuShares"] = (long)(r.CpuShares ?? 0);
        host["CpuPeriod"] = (long)(r.CpuPeriod ?? 0);
        host["CpuQuota"] = r.CpuQuota ?? 0L;
        host["CpusetCpus"] = r.CpusetCpus ?? string.Empty;
        host["CpusetMems"] = r.CpusetMems ?? string.Empty;
        // podman prints 0 when unset.
        host["MemorySwappiness"] = (long)(r.MemorySwappiness ?? 0);
        host["OomKillDisable"] = r.OomKillDisable ?? false;
        host["PidsLimit"] = r.PidsLimit ?? 0L;
        host["BlkioWeight"] = (long)(r.BlkioWeight ?? 0);
        IReadOnlyList<BlockIoLimit> limits = r.BlockIoLimits ?? [];
        host["BlkioWeightDevice"] = limits.Where(l => l.Kind == BlockIoLimitKind.Weight)
            .Select(l => (object?)new TemplateObject("define.InspectBlkioWeightDevice") { ["Path"] = l.Path ?? string.Empty, ["Weight"] = (long)l.Value })
            .ToList();
        host["BlkioDeviceReadBps"] = Throttles(limits, BlockIoLimitKind.ReadBps);
        host["BlkioDeviceWriteBps"] = Throttles(limits, BlockIoLimitKind.WriteBps);
        host["BlkioDeviceReadIOps"] = Throttles(limits, BlockIoLimitKind.ReadIops);
        host["BlkioDeviceWriteIOps"] = Throttles(limits, BlockIoLimitKind.WriteIops);
    }

    /// <summary>docker's throttle device shape: the host path as the user named it and the rate.</summary>
    private static List<object?> Throttles(IReadOnlyList<BlockIoLimit> limits, BlockIoLimitKind kind) =>
        limits.Where(l => l.Kind == kind)
            .Select(l => (object?)new TemplateObject("define.InspectBlkioThrottleDevice") { ["Path"] = l.Path ?? string.Empty, ["Rate"] = (long)l.Value })
            .ToList();
}

using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Lifecycle;

/// <summary>Turns <see cref="CgroupResources"/> into the OCI runtime spec's linux.resources object and back.</summary>
public static class OciResources
{
    public static ResourcesSpec ToSpec(CgroupResources r) => new()
    {
        // OCI's "swap" is memory plus swap, the same meaning as docker's --memory-swap.
        Memory = r.Memory is not null || r.MemorySwap is not null || r.MemoryReservation is not null || r.MemorySwappiness is not null || r.OomKillDisable is not null
            ? new MemoryResources { Limit = r.Memory, Reservation = r.MemoryReservation, Swap = r.MemorySwap, Swappiness = r.MemorySwappiness, DisableOomKiller = r.OomKillDisable }
            : null,
        Cpu = r.CpuQuota is not null || r.CpuPeriod is not null || r.CpuShares is not null || r.CpusetCpus is not null || r.CpusetMems is not null
            ? new CpuResources { Shares = r.CpuShares, Quota = r.CpuQuota, Period = r.CpuPeriod, Cpus = r.CpusetCpus, Mems = r.CpusetMems }
            : null,
        Pids = r.PidsLimit is { } pids ? new PidsResources { Limit = pids } : null,
        BlockIo = r.BlkioWeight is not null || r.BlockIoLimits is { Count: > 0 } ? BlockIo(r) : null,
        Devices = r.Devices is { } rules ? [.. rules.Select(ToSpec)] : null,
    };

    public static DeviceCgroupSpec ToSpec(DeviceRule rule) => new()
    {
        Allow = rule.Allow,
        Type = rule.Type.ToString(),
        Major = rule.Major,
        Minor = rule.Minor,
        Access = rule.Access,
    };

    /// <summary>A rule as OCI defines the defaults: no type is every type, no number every number, no access all three.</summary>
    public static DeviceRule DeviceRuleFromSpec(DeviceCgroupSpec rule) =>
        new(rule.Allow, rule.Type is { Length: 1 } type ? type[0] : 'a', rule.Major, rule.Minor, DeviceRule.Normalize(rule.Access ?? "rwm"));

    public static IReadOnlyList<BlockIoLimit>? BlockIoLimitsFromSpec(BlockIoResources? blockIo)
    {
        if (blockIo is null)
        {
            return null;
        }

        var limits = new List<BlockIoLimit>();
        Add(limits, BlockIoLimitKind.ReadBps, blockIo.ThrottleReadBpsDevice);
        Add(limits, BlockIoLimitKind.WriteBps, blockIo.ThrottleWriteBpsDevice);
        Add(limits, BlockIoLimitKind.ReadIops, blockIo.ThrottleReadIopsDevice);
        Add(limits, BlockIoLimitKind.WriteIops, blockIo.ThrottleWriteIopsDevice);
        foreach (WeightDeviceSpec device in blockIo.WeightDevice ?? [])
        {
            if (device.Weight is { } weight)
            {
                limits.Add(new BlockIoLimit(BlockIoLimitKind.Weight, null, device.Major, device.Minor, weight));
            }
        }

        return limits.Count == 0 ? null : limits;
    }

    private static void Add(List<BlockIoLimit> limits, BlockIoLimitKind kind, List<ThrottleDeviceSpec>? devices)
    {
        foreach (ThrottleDeviceSpec device in devices ?? [])
        {
            limits.Add(new BlockIoLimit(kind, null, device.Major, device.Minor, device.Rate));
        }
    }

    private static BlockIoResources BlockIo(CgroupResources r)
    {
        IReadOnlyList<BlockIoLimit> limits = r.BlockIoLimits ?? [];
        return new BlockIoResources
        {
            Weight = r.BlkioWeight,
            WeightDevice = Weights(limits),
            ThrottleReadBpsDevice = Throttles(limits, BlockIoLimitKind.ReadBps),
            ThrottleWriteBpsDevice = Throttles(limits, BlockIoLimitKind.WriteBps),
            ThrottleReadIopsDevice = Throttles(limits, BlockIoLimitKind.ReadIops),
            ThrottleWriteIopsDevice = Throttles(limits, BlockIoLimitKind.WriteIops),
        };
    }

    private static List<ThrottleDeviceSpec>? Throttles(IReadOnlyList<BlockIoLimit> limits, BlockIoLimitKind kind)
    {
        List<ThrottleDeviceSpec> list = [.. limits.Where(l => l.Kind == kind).Select(l => new ThrottleDeviceSpec { Major = l.Major, Minor = l.Minor, Rate = l.Value })];
        return list.Count == 0 ? null : list;
    }

    private static List<WeightDeviceSpec>? Weights(IReadOnlyList<BlockIoLimit> limits)
    {
        List<WeightDeviceSpec> list = [.. limits.Where(l => l.Kind == BlockIoLimitKind.Weight).Select(l => new WeightDeviceSpec { Major = l.Major, Minor = l.Minor, Weight = (ushort)l.Value })];
        return list.Count == 0 ? null : list;
    }
}

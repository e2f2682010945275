using System.Text.Json;
using Skiff.Runtime.Cgroups;

namespace Skiff.Cli.Commands.Containers;

/// <summary>The cgroup limits in docker's HostConfig fields (0 means "not set", as docker prints them).</summary>
public static class ResourcesView
{
    public static void Write(Utf8JsonWriter json, CgroupResources r)
    {
        json.WriteNumber("Memory", r.Memory ?? 0);
        json.WriteNumber("MemorySwap", r.MemorySwap ?? 0);
        long nanoCpus = r.CpuQuota is > 0 && r.CpuPeriod is > 0 ? r.CpuQuota.Value * 1_000_000_000 / (long)r.CpuPeriod.Value : 0;
        json.WriteNumber("NanoCpus", nanoCpus);
        json.WriteNumber("CpuShares", r.CpuShares ?? 0);
        json.WriteNumber("CpuPeriod", r.CpuPeriod ?? 0);
        json.WriteNumber("CpuQuota", r.CpuQuota ?? 0);
        json.WriteString("CpusetCpus", r.CpusetCpus ?? string.Empty);
        json.WriteNumber("PidsLimit", r.PidsLimit ?? 0);
        json.WriteNumber("BlkioWeight", r.BlkioWeight ?? 0);
    }
}

using System.Text.Json.Nodes;
using Skiff.Runtime.Cgroups;

namespace Skiff.Runtime.Lifecycle;

/// <summary>Writes <see cref="CgroupResources"/> as the OCI runtime spec's linux.resources object.</summary>
public static class OciResources
{
    public static JsonObject ToJson(CgroupResources r)
    {
        var resources = new JsonObject();
        if (r.Memory is not null || r.MemorySwap is not null)
        {
            var memory = new JsonObject();
            if (r.Memory is not null)
            {
                memory["limit"] = r.Memory.Value;
            }

            if (r.MemorySwap is not null)
            {
                // OCI's "swap" is memory plus swap, the same meaning as docker's --memory-swap.
                memory["swap"] = r.MemorySwap.Value;
            }

            resources["memory"] = memory;
        }

        if (r.CpuQuota is not null || r.CpuPeriod is not null || r.CpuShares is not null || r.CpusetCpus is not null)
        {
            var cpu = new JsonObject();
            if (r.CpuShares is not null)
            {
                cpu["shares"] = r.CpuShares.Value;
            }

            if (r.CpuQuota is not null)
            {
                cpu["quota"] = r.CpuQuota.Value;
            }

            if (r.CpuPeriod is not null)
            {
                cpu["period"] = r.CpuPeriod.Value;
            }

            if (r.CpusetCpus is not null)
            {
                cpu["cpus"] = r.CpusetCpus;
            }

            resources["cpu"] = cpu;
        }

        if (r.PidsLimit is not null)
        {
            resources["pids"] = new JsonObject { ["limit"] = r.PidsLimit.Value };
        }

        if (r.BlkioWeight is not null)
        {
            resources["blockIO"] = new JsonObject { ["weight"] = r.BlkioWeight.Value };
        }

        return resources;
    }
}

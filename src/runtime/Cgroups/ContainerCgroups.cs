using Skiff.Core.Errors;

namespace Skiff.Runtime.Cgroups;

/// <summary>
/// The engine's view of container cgroups: which group a new container gets (named in the OCI spec's
/// linux.cgroupsPath, so the runtime creates it and applies linux.resources), and the manager that later
/// reads stats, freezes, updates and checks for OOM kills on that group.
/// </summary>
public sealed class ContainerCgroups(CgroupLayout layout, bool rootless, Func<CgroupDelegation?> probeDelegation)
{
    public const string NoCgroupHint =
        "rootless containers get a cgroup of their own only on cgroup v2 with delegation (https://rootlesscontaine.rs/getting-started/common/cgroup2/); run as root on this machine";

    public static ContainerCgroups ForHost(bool rootless)
    {
        CgroupLayout layout = CgroupLayoutDetector.Detect();
        return new ContainerCgroups(
            layout,
            rootless,
            () => layout.UnifiedMount is null ? null : CgroupDelegation.Probe(layout.UnifiedMount));
    }

    public CgroupLayout Layout => layout;

    /// <summary>
    /// The group (relative to the hierarchy roots) a new container should run in, or null when it runs
    /// without one of its own (rootless on cgroup v1 and no limits asked). Throws a prerequisite error
    /// naming the flag when a limit cannot be enforced here.
    /// </summary>
    public string? Plan(string containerId, CgroupResources resources)
    {
        CgroupDelegation? delegation = rootless && layout.Mode == CgroupMode.Unified ? probeDelegation() : null;
        ICgroupManager? manager = CgroupManagerSelector.Select(layout, rootless, resources, systemd: null, delegation);
        if (manager is null)
        {
            return null;
        }

        manager.CheckEnforceable(resources);
        return manager.GroupFor(containerId);
    }

    /// <summary>Docker's defaults that the runtime must be told explicitly: memory+swap is twice the memory limit
    /// when the kernel accounts swap and the user gave no --memory-swap.</summary>
    public CgroupResources WithDefaults(CgroupResources resources)
    {
        if (resources.Memory is null || resources.MemorySwap is not null || layout.Mode == CgroupMode.Unified)
        {
            return resources;
        }

        bool swapAccounted = layout.V1Mounts.TryGetValue("memory", out string? memory)
            && File.Exists(Path.Combine(memory, "memory.memsw.limit_in_bytes"));
        return swapAccounted ? resources with { MemorySwap = resources.Memory * 2 } : resources;
    }

    /// <summary>The manager for an existing container's group.</summary>
    public ICgroupManager ManagerFor(string? group, string containerName, string action)
    {
        if (group is null)
        {
            throw SkiffException.PrerequisiteMissing($"cannot {action} container {containerName}: it has no cgroup of its own", NoCgroupHint);
        }

        return layout.Mode switch
        {
            CgroupMode.Unified => new CgroupV2Manager(layout.UnifiedMount!),
            CgroupMode.None => throw SkiffException.PrerequisiteMissing($"cannot {action} container {containerName}: no cgroup filesystem is mounted"),
            _ => new CgroupV1Manager(layout),
        };
    }
}

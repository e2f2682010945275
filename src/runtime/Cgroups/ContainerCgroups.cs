using System.Collections;
using Skiff.Core.Errors;
using Skiff.Runtime.Cgroups.Systemd;

namespace Skiff.Runtime.Cgroups;

/// <summary>
/// The engine's view of container cgroups: which group a new container gets (named in the OCI spec's
/// linux.cgroupsPath, so the runtime creates it and applies linux.resources), and the manager that later
/// reads stats, freezes, updates and checks for OOM kills on that group.
/// </summary>
/// <param name="systemdBus">The systemd bus to create scopes over (<see cref="SystemdBus.FindAddress"/>), null when there is none.</param>
/// <param name="manager">The user's choice (--cgroup-manager): null picks systemd when a bus exists on cgroup v2, as podman.</param>
/// <param name="uid">The user's real uid (D-Bus authentication, the user instance's cgroup).</param>
public sealed class ContainerCgroups(
    CgroupLayout layout,
    bool rootless,
    Func<CgroupDelegation?> probeDelegation,
    string? systemdBus = null,
    string? manager = null,
    uint uid = 0)
{
    public const string NoCgroupHint =
        "rootless containers get a cgroup of their own only on cgroup v2 with delegation (https://rootlesscontaine.rs/getting-started/common/cgroup2/); run as root on this machine";

    public static ContainerCgroups ForHost(bool rootless, string? manager = null, uint uid = 0)
    {
        CgroupLayout layout = CgroupLayoutDetector.Detect();
        string? choice = CgroupManagers.Validate(manager);
        return new ContainerCgroups(
            layout,
            rootless,
            () => layout.UnifiedMount is null ? null : CgroupDelegation.Probe(layout.UnifiedMount),
            choice == CgroupManagers.Cgroupfs ? null : SystemdBus.FindAddress(rootless, EnvironmentVariables()),
            choice,
            uid);
    }

    /// <summary>The manager new containers get here: "systemd", "cgroupfs", or null for none (rootless without delegation).</summary>
    public string? DefaultManagerName()
    {
        if (layout.Mode == CgroupMode.None)
        {
            return null;
        }

        if (UsesSystemd())
        {
            return CgroupManagers.Systemd;
        }

        return !rootless || (layout.Mode == CgroupMode.Unified && probeDelegation() is { Writable: true }) ? CgroupManagers.Cgroupfs : null;
    }

    public CgroupLayout Layout => layout;

    /// <summary>
    /// The group (relative to the hierarchy roots) a new container should run in, or null when it runs
    /// without one of its own (rootless on cgroup v1 and no limits asked). Throws a prerequisite error
    /// naming the flag when a limit cannot be enforced here.
    /// </summary>
    /// <param name="parent">--cgroup-parent (null: skiff's own parent); ignored where the container gets no group (rootless on v1), as podman does.</param>
    /// <param name="mode">--cgroups: <see cref="CgroupsMode.Disabled"/> plans no group (the container stays in the monitor's).</param>
    public CgroupPlan? Plan(string containerId, CgroupResources resources, string? parent = null, string mode = CgroupsMode.Enabled)
    {
        parent = CgroupsMode.CheckParent(parent, mode);
        if (mode == CgroupsMode.Disabled)
        {
            return resources.IsEmpty
                ? null
                : throw SkiffException.InvalidArgument("cannot specify resource limits when cgroups are disabled is specified", "drop the limits, or --cgroups=disabled");
        }

        if (mode == CgroupsMode.Split)
        {
            parent = CgroupsMode.SplitParent(layout);
        }

        CgroupDelegation? delegation = rootless && layout.Mode == CgroupMode.Unified && !UsesSystemd() ? probeDelegation() : null;
        // Planning names the group, which for systemd means asking the instance where its slices are; the
        // monitor creates the scope later over a connection of its own.
        using SystemdDbusClient? systemd = UsesSystemd() ? new SystemdDbusClient(systemdBus!, uid) : null;
        ICgroupManager? selected = CgroupManagerSelector.Select(layout, rootless, resources, systemd, delegation, parent);
        if (selected is null)
        {
            return null;
        }

        selected.CheckEnforceable(resources);
        return new CgroupPlan(selected.GroupFor(containerId), selected.Name, PrivateNamespace: layout.Mode == CgroupMode.Unified);
    }

    /// <summary>systemd when asked for or, unasked, when its bus exists on cgroup v2; asking for it where it cannot work is an error.</summary>
    private bool UsesSystemd()
    {
        bool possible = systemdBus is not null && layout.Mode == CgroupMode.Unified;
        if (manager == CgroupManagers.Systemd && !possible)
        {
            throw SkiffException.PrerequisiteMissing(
                layout.Mode == CgroupMode.Unified
                    ? "the systemd cgroup manager needs systemd running as PID 1 and its D-Bus socket (" + (rootless ? "$DBUS_SESSION_BUS_ADDRESS or $XDG_RUNTIME_DIR/bus" : "/run/dbus/system_bus_socket") + "): none was found"
                    : $"the systemd cgroup manager needs cgroup v2 (unified); this machine uses cgroup v1 ({layout.Mode.ToString().ToLowerInvariant()} mode)",
                "use --cgroup-manager=cgroupfs");
        }

        return manager != CgroupManagers.Cgroupfs && possible;
    }

    private static Dictionary<string, string?> EnvironmentVariables()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value;
        }

        return environment;
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

    /// <summary>
    /// The limits this machine's hierarchy has: cgroup v2 has no swappiness and no OOM-killer switch, so
    /// --memory-swappiness and --oom-kill-disable are dropped there with a warning (as docker and podman ignore them on v2).
    /// </summary>
    public CgroupResources Supported(CgroupResources resources, Action<string> warn)
    {
        if (layout.Mode != CgroupMode.Unified)
        {
            return resources;
        }

        if (resources.MemorySwappiness is not null)
        {
            warn("WARNING: Your kernel does not support memory swappiness capabilities or the cgroup is not mounted (cgroup v2). Memory swappiness discarded.");
            resources = resources with { MemorySwappiness = null };
        }

        if (resources.OomKillDisable is not null)
        {
            warn("WARNING: Your kernel does not support OomKillDisable (cgroup v2). OomKillDisable discarded.");
            resources = resources with { OomKillDisable = null };
        }

        return resources;
    }

    /// <summary>The manager for an existing container's group.</summary>
    public ICgroupManager ManagerFor(string? group, string containerName, string action)
    {
        if (group is null)
        {
            throw SkiffException.PrerequisiteMissing($"cannot {action} container \"{containerName}\": it has no cgroup of its own", NoCgroupHint);
        }

        return layout.Mode switch
        {
            CgroupMode.Unified => new CgroupV2Manager(layout.UnifiedMount!),
            CgroupMode.None => throw SkiffException.PrerequisiteMissing($"cannot {action} container {containerName}: no cgroup filesystem is mounted"),
            _ => new CgroupV1Manager(layout),
        };
    }
}

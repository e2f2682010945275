using Skiff.Core.Errors;
using Skiff.Core.Users;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Cgroups.Systemd;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Containers;

/// <summary>
/// The built-in runtime's handling of linux.cgroupsPath and linux.resources: the group is prepared with its
/// limits before the init sets up mounts (so it can show the container its own group), and the init is
/// moved into it before start. With --systemd-cgroup the group is a transient scope that systemd creates
/// around the init (a scope cannot exist empty): made as soon as the init exists, before it builds its root.
/// </summary>
public sealed class RuntimeCgroup
{
    private readonly ICgroupManager _manager;
    private readonly ScopeToStart? _scope;
    private readonly IDisposable? _client;
    private string? _group;

    private RuntimeCgroup(ICgroupManager manager, string? group, ScopeToStart? scope = null, IDisposable? client = null)
    {
        _manager = manager;
        _group = group;
        _scope = scope;
        _client = client;
    }

    /// <summary>The group, relative to the hierarchy roots (for systemd: known once <see cref="Attach"/> made the scope).</summary>
    public string Group => _group ?? throw SkiffException.Internal("the systemd scope was not created yet");

    /// <returns>null when the container runs in the caller's cgroup: no path and no limits, or rootless without limits (as runc).</returns>
    public static RuntimeCgroup? Prepare(RuntimeSpec spec, string containerId, bool rootless, bool systemdCgroup = false, CurrentUser? user = null)
    {
        CgroupResources resources = FromSpec(spec.Linux?.Resources);
        if (rootless)
        {
            // As runc and crun: an unprivileged user cannot manage the devices cgroup; the user namespace already
            // keeps the container from opening device nodes it could not open outside.
            resources = resources with { Devices = null };
        }

        string? path = spec.Linux?.CgroupsPath;
        if (systemdCgroup)
        {
            return PrepareScope(path, containerId, resources, rootless, user ?? CurrentUser.Detect());
        }

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
            _ => new CgroupV1Manager(layout, parent, Mounts.CgroupMountSources.NamedHandedOver(layout, spec.Mounts)),
        };
        return new RuntimeCgroup(manager, manager.Prepare(Path.GetFileName(relative), resources));
    }

    /// <summary>Whether <see cref="Prepare"/> may make a group at all (a path, limits or a systemd scope); cheap, reads only the spec.</summary>
    public static bool Wanted(RuntimeSpec spec, bool systemdCgroup) =>
        systemdCgroup || spec.Linux?.CgroupsPath is not null || !FromSpec(spec.Linux?.Resources).IsEmpty;

    /// <summary>
    /// Called with the init's pid while it waits for its spec. For a systemd scope: systemd creates the scope
    /// around the init and the limits are written into it. For cgroupfs nothing happens here (see <see cref="AddProcess"/>).
    /// </summary>
    public void Attach(int pid)
    {
        if (_scope is null)
        {
            return;
        }

        try
        {
            _group = ((SystemdCgroupManager)_manager).CreateScope(_scope.UnitName, _scope.Description, _scope.Resources, pid);
        }
        finally
        {
            // The bus connection is not kept for the container's life; a later stop connects again.
            _client?.Dispose();
        }
    }

    /// <summary>A scope's group is known only once it exists: the spec the init gets names it, so the init shows the container that group.</summary>
    public void PointSpecAt(RuntimeSpec spec)
    {
        if (_scope is not null && spec.Linux is not null)
        {
            spec.Linux.CgroupsPath = "/" + Group;
        }
    }

    public void AddProcess(int pid)
    {
        // systemd placed the init in its scope already.
        if (_scope is null)
        {
            _manager.AddProcess(Group, pid);
        }
    }

    private static RuntimeCgroup PrepareScope(string? path, string containerId, CgroupResources resources, bool rootless, CurrentUser user)
    {
        CgroupLayout layout = CgroupLayoutDetector.Detect();
        if (layout.Mode != CgroupMode.Unified)
        {
            throw SkiffException.PrerequisiteMissing(
                $"--systemd-cgroup needs cgroup v2 (unified); this machine uses {layout.Mode.ToString().ToLowerInvariant()} cgroups",
                "run without --systemd-cgroup (skiff: --cgroup-manager=cgroupfs)");
        }

        string defaultSlice = rootless ? "user.slice" : "machine.slice";
        SystemdCgroupsPath scope = path is null
            ? SystemdCgroupsPath.ForContainer(defaultSlice, containerId)
            : SystemdCgroupsPath.Parse(path, defaultSlice);
        SystemdDbusClient client = SystemdScopes.Connect(user);
        var manager = new SystemdCgroupManager(client, layout.UnifiedMount!, scope.Slice);
        manager.CheckEnforceable(resources);
        return new RuntimeCgroup(manager, null, new ScopeToStart(scope.UnitName, $"skiff container {containerId}", resources), client);
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
            BlkioWeight: spec.BlockIo?.Weight,
            MemoryReservation: spec.Memory?.Reservation,
            BlockIoLimits: OciResources.BlockIoLimitsFromSpec(spec.BlockIo),
            Devices: spec.Devices is { } rules ? [.. rules.Select(OciResources.DeviceRuleFromSpec)] : null,
            MemorySwappiness: spec.Memory?.Swappiness,
            OomKillDisable: spec.Memory?.DisableOomKiller,
            CpusetMems: spec.Cpu?.Mems);


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
        if (_group is null)
        {
            return;
        }

        try
        {
            _manager.Remove(_group);
        }
        catch (Exception e) when (e is SkiffException or IOException or UnauthorizedAccessException)
        {
        }
    }
}

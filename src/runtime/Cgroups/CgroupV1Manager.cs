using System.Globalization;
using Skiff.Core.Errors;

namespace Skiff.Runtime.Cgroups;

/// <summary>
/// cgroupfs on v1 controller hierarchies (root only): one directory <c>PARENT/ID</c> per managed controller.
/// </summary>
public sealed class CgroupV1Manager : ICgroupManager
{
    private readonly CgroupLayout _layout;
    private readonly string _parent;
    private readonly IReadOnlyList<string> _named;

    /// <param name="layout">The machine's mounts (from <see cref="CgroupLayoutDetector"/>).</param>
    /// <param name="parent">The parent group under each hierarchy root, "skiff" by default.</param>
    /// <param name="named">Named hierarchies (mount points, e.g. /sys/fs/cgroup/systemd) the group is made in too,
    /// as runc and crun make it: for a container that is handed such a hierarchy (systemd mode).</param>
    public CgroupV1Manager(CgroupLayout layout, string parent = "skiff", IReadOnlyList<string>? named = null)
    {
        _layout = layout;
        _parent = parent;
        _named = named ?? [];
    }

    public string Name => "cgroupfs";

    public int Version => 1;

    public string GroupFor(string containerId) => _parent.Length == 0 ? containerId : $"{_parent}/{containerId}";

    public string Create(string containerId, CgroupResources resources, int pid)
    {
        string group = Prepare(containerId, resources);
        try
        {
            AddProcess(group, pid);
            return group;
        }
        catch
        {
            TryRemoveAfterFailure(group);
            throw;
        }
    }

    public string Prepare(string containerId, CgroupResources resources)
    {
        string group = GroupFor(containerId);
        CheckEnforceable(resources);
        try
        {
            foreach (string directory in Directories(group))
            {
                EnsureGroup(directory, group);
            }

            Apply(group, resources, creating: true);
            return group;
        }
        catch
        {
            TryRemoveAfterFailure(group);
            throw;
        }
    }

    public void AddProcess(string group, int pid)
    {
        foreach (string directory in Directories(group))
        {
            CgroupFile.Write(directory, "cgroup.procs", pid);
        }
    }

    public void Update(string group, CgroupResources resources)
    {
        CheckEnforceable(resources);
        Apply(group, resources, creating: false);
    }

    public CgroupStats ReadStats(string group)
    {
        string? memory = Directory("memory", group);
        ulong usage = 0;
        ulong? limit = null;
        if (memory is not null)
        {
            usage = CgroupFile.TryReadNumber(memory, "memory.usage_in_bytes") ?? 0;
            ulong inactive = CgroupFile.TryReadKey(memory, "memory.stat", "total_inactive_file") ?? 0;
            usage = inactive < usage ? usage - inactive : usage;
            limit = CgroupFile.TryReadNumber(memory, "memory.limit_in_bytes");
            // v1 reports "unlimited" as the largest page-aligned long.
            if (limit >= long.MaxValue / 2)
            {
                limit = null;
            }
        }

        string? cpuacct = Directory("cpuacct", group);
        ulong cpu = cpuacct is null ? 0 : CgroupFile.TryReadNumber(cpuacct, "cpuacct.usage") ?? 0;
        string? pids = Directory("pids", group);
        ulong current = pids is null ? 0 : CgroupFile.TryReadNumber(pids, "pids.current") ?? 0;
        ulong? pidsMax = pids is null ? null : CgroupFile.TryReadNumber(pids, "pids.max");
        (ulong read, ulong write) = ReadBlkio(Directory("blkio", group));
        return new CgroupStats(usage, limit, cpu, current, pidsMax, read, write);
    }

    public void Freeze(string group) => SetFreezer(group, "FROZEN");

    public void Thaw(string group) => SetFreezer(group, "THAWED");

    public bool WasOomKilled(string group)
    {
        string? memory = Directory("memory", group);
        if (memory is null)
        {
            return false;
        }

        // oom_kill exists since Linux 4.13; under_oom covers a group that is stuck at its limit right now.
        ulong kills = CgroupFile.TryReadKey(memory, "memory.oom_control", "oom_kill") ?? 0;
        ulong under = CgroupFile.TryReadKey(memory, "memory.oom_control", "under_oom") ?? 0;
        return kills > 0 || under > 0;
    }

    public void Remove(string group)
    {
        string? freezer = Directory("freezer", group);
        if (freezer is not null && System.IO.Directory.Exists(freezer))
        {
            // A frozen task cannot die: thaw before killing what is left.
            try
            {
                CgroupFile.Write(freezer, "freezer.state", "THAWED");
            }
            catch (SkiffException)
            {
            }
        }

        var failed = new List<string>();
        // The named hierarchies too (where the runtimes and systemd mode make the group): the check that the
        // directory exists is all a group never made there costs.
        List<string> directories = Directories(group);
        foreach (string mount in _layout.NamedV1Mounts ?? [])
        {
            string directory = Path.Combine(mount, group);
            if (!directories.Contains(directory))
            {
                directories.Add(directory);
            }
        }

        foreach (string directory in directories)
        {
            if (!CgroupFile.TryRemoveDirectory(directory, CgroupFile.KillProcesses))
            {
                failed.Add(directory);
            }
        }

        if (failed.Count > 0)
        {
            throw SkiffException.Unavailable($"cannot remove cgroup {string.Join(", ", failed)}: it still has processes");
        }
    }

    public void CheckEnforceable(CgroupResources resources)
    {
        foreach ((string controller, string flag) in resources.RequiredControllers())
        {
            if (!_layout.V1Mounts.ContainsKey(controller))
            {
                throw MissingController(flag, controller);
            }
        }

        if (resources.BlkioWeight is not null && BlkioWeightFile() is null)
        {
            throw SkiffException.PrerequisiteMissing(
                "cannot apply --blkio-weight: the blkio controller has no weight file (blkio.weight or blkio.bfq.weight)",
                "the block device's IO scheduler must support weights (bfq): echo bfq > /sys/block/DEVICE/queue/scheduler, or drop --blkio-weight");
        }

        if (resources.BlockIoLimits?.Any(l => l.Kind == BlockIoLimitKind.Weight) == true && BlkioWeightDeviceFile() is null)
        {
            throw SkiffException.PrerequisiteMissing(
                "cannot apply --blkio-weight-device: the blkio controller has no per-device weight file (blkio.weight_device or blkio.bfq.weight_device)",
                "the block device's IO scheduler must support weights (bfq): echo bfq > /sys/block/DEVICE/queue/scheduler, or drop --blkio-weight-device");
        }

        if (resources.MemorySwap is not null && !File.Exists(Path.Combine(_layout.V1Mounts["memory"], "memory.memsw.limit_in_bytes")))
        {
            throw SkiffException.PrerequisiteMissing(
                "cannot apply --memory-swap: the kernel does not account swap (no memory.memsw.limit_in_bytes)",
                "boot with swapaccount=1 on the kernel command line, or drop --memory-swap");
        }
    }

    private static SkiffException MissingController(string flag, string controller) => SkiffException.PrerequisiteMissing(
        $"cannot apply {flag}: the {controller} cgroup controller is not mounted",
        $"mount the {controller} controller (mount -t cgroup -o {controller} cgroup /sys/fs/cgroup/{controller}), or drop {flag}");

    private string? BlkioWeightFile()
    {
        if (!_layout.V1Mounts.TryGetValue("blkio", out string? mount))
        {
            return null;
        }

        foreach (string name in new[] { "blkio.weight", "blkio.bfq.weight" })
        {
            if (File.Exists(Path.Combine(mount, name)))
            {
                return name;
            }
        }

        return null;
    }

    private string? BlkioWeightDeviceFile()
    {
        if (!_layout.V1Mounts.TryGetValue("blkio", out string? mount))
        {
            return null;
        }

        foreach (string name in new[] { "blkio.weight_device", "blkio.bfq.weight_device" })
        {
            if (File.Exists(Path.Combine(mount, name)))
            {
                return name;
            }
        }

        return null;
    }

    private void Apply(string group, CgroupResources r, bool creating)
    {
        if (r.Devices is not null && Directory("devices", group) is { } devices)
        {
            ApplyDevices(devices, r.Devices);
        }

        if (r.Memory is not null || r.MemorySwap is not null)
        {
            ApplyMemory(Directory("memory", group)!, r, creating);
        }

        if (r.MemoryReservation is not null)
        {
            CgroupFile.Write(Directory("memory", group)!, "memory.soft_limit_in_bytes", r.MemoryReservation.Value);
        }

        if (r.MemorySwappiness is not null)
        {
            CgroupFile.Write(Directory("memory", group)!, "memory.swappiness", (long)r.MemorySwappiness.Value);
        }

        if (r.OomKillDisable is not null)
        {
            CgroupFile.Write(Directory("memory", group)!, "memory.oom_control", r.OomKillDisable.Value ? 1L : 0L);
        }

        string? cpu = Directory("cpu", group);
        if (r.CpuPeriod is not null)
        {
            CgroupFile.Write(cpu!, "cpu.cfs_period_us", (long)r.CpuPeriod.Value);
        }

        if (r.CpuQuota is not null)
        {
            CgroupFile.Write(cpu!, "cpu.cfs_quota_us", r.CpuQuota.Value);
        }

        if (r.CpuShares is not null)
        {
            CgroupFile.Write(cpu!, "cpu.shares", (long)r.CpuShares.Value);
        }

        if (r.CpusetCpus is not null)
        {
            CgroupFile.Write(Directory("cpuset", group)!, "cpuset.cpus", r.CpusetCpus);
        }

        if (r.CpusetMems is not null)
        {
            CgroupFile.Write(Directory("cpuset", group)!, "cpuset.mems", r.CpusetMems);
        }

        if (r.PidsLimit is not null)
        {
            CgroupFile.Write(Directory("pids", group)!, "pids.max", r.PidsLimit.Value < 0 ? "max" : r.PidsLimit.Value.ToString(CultureInfo.InvariantCulture));
        }

        if (r.BlkioWeight is not null)
        {
            CgroupFile.Write(Directory("blkio", group)!, BlkioWeightFile()!, r.BlkioWeight.Value);
        }

        foreach (BlockIoLimit limit in r.BlockIoLimits ?? [])
        {
            CgroupFile.Write(Directory("blkio", group)!, limit.V1ThrottleFile ?? BlkioWeightDeviceFile()!, limit.V1Line);
        }
    }

    /// <summary>
    /// The rules in order, then the defaults every runtime allows (runc and crun append them the same way). A new
    /// group starts with its parent's list; "a" in devices.deny empties it, "a" in devices.allow allows everything.
    /// </summary>
    private static void ApplyDevices(string directory, IReadOnlyList<DeviceRule> rules)
    {
        foreach ((string file, string line) in DeviceWrites(rules))
        {
            CgroupFile.Write(directory, file, line);
        }
    }

    /// <summary>The writes <see cref="ApplyDevices"/> makes, in order: (devices.allow or devices.deny, line).</summary>
    public static IReadOnlyList<(string File, string Line)> DeviceWrites(IReadOnlyList<DeviceRule> rules) =>
        [.. rules.Concat(DeviceRule.Defaults).Select(r => (r.Allow ? "devices.allow" : "devices.deny", r.ToString()))];

    private static void ApplyMemory(string directory, CgroupResources r, bool creating)
    {
        bool swapAccounted = File.Exists(Path.Combine(directory, "memory.memsw.limit_in_bytes"));
        long? swap = r.MemorySwap;
        if (swap is null && creating && r.Memory is not null && swapAccounted)
        {
            // Docker's default: as much swap as memory (memory+swap = 2 × memory).
            swap = r.Memory * 2;
        }

        if (r.Memory is null)
        {
            CgroupFile.Write(directory, "memory.memsw.limit_in_bytes", swap!.Value);
            return;
        }

        // v1 requires memory.limit_in_bytes <= memory.memsw.limit_in_bytes at every moment, so the order
        // of the two writes depends on whether the total grows or shrinks.
        ulong currentTotal = swapAccounted ? CgroupFile.TryReadNumber(directory, "memory.memsw.limit_in_bytes") ?? ulong.MaxValue : ulong.MaxValue;
        bool swapFirst = swap is not null && (swap == -1 || (ulong)r.Memory.Value > currentTotal);
        if (swapFirst)
        {
            CgroupFile.Write(directory, "memory.memsw.limit_in_bytes", swap!.Value);
        }

        CgroupFile.Write(directory, "memory.limit_in_bytes", r.Memory.Value);
        if (swap is not null && !swapFirst)
        {
            CgroupFile.Write(directory, "memory.memsw.limit_in_bytes", swap.Value);
        }
    }

    private void SetFreezer(string group, string state)
    {
        string directory = Directory("freezer", group)
            ?? throw SkiffException.PrerequisiteMissing("cannot pause: the freezer cgroup controller is not mounted");
        CgroupFile.Write(directory, "freezer.state", state);
        for (int attempt = 0; attempt < 500; attempt++)
        {
            // Writing FROZEN returns while tasks may still be FREEZING; report success only once they are.
            if (CgroupFile.TryRead(directory, "freezer.state")?.Trim() == state)
            {
                return;
            }

            Thread.Sleep(2);
        }

        throw SkiffException.Unavailable($"the container's tasks did not reach {state} in {directory}");
    }

    private static (ulong Read, ulong Write) ReadBlkio(string? directory)
    {
        string? text = directory is null ? null : CgroupFile.TryRead(directory, "blkio.throttle.io_service_bytes_recursive")
            ?? CgroupFile.TryRead(directory, "blkio.throttle.io_service_bytes");
        ulong read = 0, write = 0;
        foreach (string line in (text ?? string.Empty).Split('\n'))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 3 && ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
            {
                if (parts[1] == "Read")
                {
                    read += value;
                }
                else if (parts[1] == "Write")
                {
                    write += value;
                }
            }
        }

        return (read, write);
    }

    private void EnsureGroup(string directory, string group)
    {
        // Each missing ancestor (a --cgroup-parent may be several levels deep) is made and given its parent's cpus
        // and memory nodes in turn, top down: a cpuset group with none cannot take a child's settings or a task.
        var missing = new Stack<string>();
        for (string? parent = Path.GetDirectoryName(directory); parent is not null && !System.IO.Directory.Exists(parent); parent = Path.GetDirectoryName(parent))
        {
            missing.Push(parent);
        }

        while (missing.TryPop(out string? ancestor))
        {
            System.IO.Directory.CreateDirectory(ancestor);
            InitCpuset(ancestor);
        }

        // A leftover empty group of the same id (a crash between mkdir and cleanup) is reused. The existence check
        // first: reading cgroup.procs of a group not made yet (every start) would fail with an exception.
        if (System.IO.Directory.Exists(directory) && CgroupFile.ReadProcesses(directory).Count > 0)
        {
            throw SkiffException.AlreadyExists($"cgroup {directory} already exists and has processes");
        }

        System.IO.Directory.CreateDirectory(directory);
        InitCpuset(directory);
    }

    /// <summary>
    /// A new v1 cpuset group starts with empty cpuset.cpus and cpuset.mems and refuses tasks until both
    /// are set; copy them from the parent as the kernel's clone_children would.
    /// </summary>
    private static void InitCpuset(string directory)
    {
        if (!File.Exists(Path.Combine(directory, "cpuset.cpus")))
        {
            return;
        }

        string parent = Path.GetDirectoryName(directory)!;
        foreach (string name in new[] { "cpuset.cpus", "cpuset.mems" })
        {
            if (string.IsNullOrWhiteSpace(CgroupFile.TryRead(directory, name)))
            {
                CgroupFile.Write(directory, name, CgroupFile.TryRead(parent, name)?.Trim() ?? string.Empty);
            }
        }
    }

    private string? Directory(string controller, string group) =>
        _layout.V1Mounts.TryGetValue(controller, out string? mount) ? Path.Combine(mount, group) : null;

    /// <summary>One directory per mounted hierarchy (co-mounted controllers such as cpu,cpuacct share one).</summary>
    private List<string> Directories(string group)
    {
        // A loop, not LINQ: Select over Where is a generic virtual method NativeAOT resolves at run time on first use,
        // on every container's start.
        var mounts = new List<string>(CgroupLayout.ManagedV1Controllers.Count);
        foreach (string controller in CgroupLayout.ManagedV1Controllers)
        {
            if (_layout.V1Mounts.TryGetValue(controller, out string? mount) && !mounts.Contains(mount))
            {
                mounts.Add(mount);
            }
        }

        foreach (string mount in _named)
        {
            if (!mounts.Contains(mount))
            {
                mounts.Add(mount);
            }
        }

        for (int i = 0; i < mounts.Count; i++)
        {
            mounts[i] = Path.Combine(mounts[i], group);
        }

        return mounts;
    }

    /// <summary>Cleanup after a failed create must not hide the error that caused it.</summary>
    private void TryRemoveAfterFailure(string group)
    {
        try
        {
            Remove(group);
        }
        catch (SkiffException)
        {
        }
    }
}

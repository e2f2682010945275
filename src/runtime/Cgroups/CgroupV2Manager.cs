using System.Globalization;
using Skiff.Core.Errors;

namespace Skiff.Runtime.Cgroups;

/// <summary>
/// cgroupfs on a unified (v2) hierarchy: groups <c>PARENT/ID</c> under <c>mountPoint</c>, controllers enabled
/// top-down through cgroup.subtree_control. The mount point is a parameter so tests run it on a fake tree.
/// </summary>
public sealed class CgroupV2Manager : ICgroupManager
{
    /// <summary>Controllers enabled for containers when available, so stats and pause work without limits.</summary>
    private static readonly string[] UsefulControllers = ["cpu", "io", "memory", "pids", "cpuset"];

    private readonly string _mountPoint;
    private readonly string _parent;
    private readonly string _delegationHint;

    /// <param name="mountPoint">The cgroup2 mount point (/sys/fs/cgroup).</param>
    /// <param name="parent">Parent group relative to the mount point; for a rootless user this is inside the delegated subtree.</param>
    /// <param name="delegationHint">What to tell the user when a controller is not available at <paramref name="parent"/>.</param>
    public CgroupV2Manager(string mountPoint, string parent = "skiff", string? delegationHint = null)
    {
        _mountPoint = mountPoint;
        _parent = parent.Trim('/');
        _delegationHint = delegationHint
            ?? "enable the controller in the parent's cgroup.subtree_control, or drop the flag";
    }

    public string Name => "cgroupfs";

    public int Version => 2;

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
        string directory = Path.Combine(_mountPoint, group);
        EnableControllers(resources);
        CheckEnforceable(resources);
        if (Directory.Exists(directory) && CgroupFile.ReadProcesses(directory).Count > 0)
        {
            throw SkiffException.AlreadyExists($"cgroup {directory} already exists and has processes");
        }

        try
        {
            Directory.CreateDirectory(directory);
            Apply(directory, resources, creating: true);
            return group;
        }
        catch
        {
            TryRemoveAfterFailure(group);
            throw;
        }
    }

    /// <summary>Creates the group and applies limits for a group whose processes are placed by someone else (systemd).</summary>
    internal void ApplyTo(string group, CgroupResources resources, bool creating)
    {
        CheckEnforceable(resources);
        Apply(Path.Combine(_mountPoint, group), resources, creating);
    }

    public void AddProcess(string group, int pid) => CgroupFile.Write(Path.Combine(_mountPoint, group), "cgroup.procs", pid);

    public void Update(string group, CgroupResources resources) => ApplyTo(group, resources, creating: false);

    public CgroupStats ReadStats(string group)
    {
        string directory = Path.Combine(_mountPoint, group);
        ulong usage = CgroupFile.TryReadNumber(directory, "memory.current") ?? 0;
        ulong inactive = CgroupFile.TryReadKey(directory, "memory.stat", "inactive_file") ?? 0;
        usage = inactive < usage ? usage - inactive : usage;
        ulong? limit = CgroupFile.TryReadNumber(directory, "memory.max");
        ulong cpu = (CgroupFile.TryReadKey(directory, "cpu.stat", "usage_usec") ?? 0) * 1000;
        // Without the pids controller (not enabled for the group, or bound to v1 on a hybrid machine) the
        // group's own task list still says how many there are.
        ulong pids = CgroupFile.TryReadNumber(directory, "pids.current") ?? CountTasks(directory);
        ulong? pidsMax = CgroupFile.TryReadNumber(directory, "pids.max");
        (ulong read, ulong write) = ReadIo(CgroupFile.TryRead(directory, "io.stat"));
        return new CgroupStats(usage, limit, cpu, pids, pidsMax, read, write);
    }

    public void Freeze(string group) => SetFrozen(group, frozen: true);

    private static ulong CountTasks(string directory) =>
        (ulong)(CgroupFile.TryRead(directory, "cgroup.threads") ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    public void Thaw(string group) => SetFrozen(group, frozen: false);

    public bool WasOomKilled(string group)
    {
        string directory = Path.Combine(_mountPoint, group);
        return (CgroupFile.TryReadKey(directory, "memory.events", "oom_kill") ?? 0) > 0;
    }

    public void Remove(string group)
    {
        string directory = Path.Combine(_mountPoint, group);
        if (!Directory.Exists(directory))
        {
            return;
        }

        if (!CgroupFile.TryRemoveDirectory(directory, Kill))
        {
            throw SkiffException.Unavailable($"cannot remove cgroup {directory}: it still has processes");
        }
    }

    /// <summary>cgroup.kill (Linux 5.14) kills the whole subtree atomically, even tasks forking right now.</summary>
    private static void Kill(string directory)
    {
        if (File.Exists(Path.Combine(directory, "cgroup.kill")))
        {
            try
            {
                CgroupFile.Write(directory, "cgroup.kill", "1");
                return;
            }
            catch (SkiffException)
            {
            }
        }

        CgroupFile.KillProcesses(directory);
    }

    public void CheckEnforceable(CgroupResources resources)
    {
        if (resources.MemorySwappiness is not null || resources.OomKillDisable is not null)
        {
            // The engine leaves them out on v2 with podman's warning; a bundle that has them cannot be honoured.
            string flag = resources.MemorySwappiness is not null ? "--memory-swappiness" : "--oom-kill-disable";
            throw SkiffException.PrerequisiteMissing($"cannot apply {flag}: cgroup v2 has no such setting", "drop it: it is a cgroup v1 setting");
        }

        string parent = Path.Combine(_mountPoint, _parent);
        IReadOnlySet<string> available = CgroupLayoutDetector.ReadControllers(Directory.Exists(parent) ? parent : _mountPoint);
        foreach ((string v1Name, string flag) in resources.RequiredControllers())
        {
            string controller = V2Name(v1Name);
            if (!available.Contains(controller))
            {
                throw SkiffException.PrerequisiteMissing(
                    $"cannot apply {flag}: the {controller} cgroup controller is not available in {parent}",
                    _delegationHint);
            }
        }
    }

    /// <summary>Writes "+controller" into cgroup.subtree_control from the mount point down to the parent group.</summary>
    private void EnableControllers(CgroupResources resources)
    {
        var required = resources.RequiredControllers().Select(c => V2Name(c.Controller)).ToHashSet(StringComparer.Ordinal);
        string current = _mountPoint;
        foreach (string? segment in _parent.Split('/', StringSplitOptions.RemoveEmptyEntries).Append<string?>(null))
        {
            IReadOnlySet<string> available = CgroupLayoutDetector.ReadControllers(current);
            string? enabled = CgroupFile.TryRead(current, "cgroup.subtree_control");
            var already = (enabled ?? string.Empty).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            string[] missing = UsefulControllers.Where(c => available.Contains(c) && !already.Contains(c)).ToArray();
            if (missing.Length > 0 && !TryEnable(current, string.Join(' ', missing.Select(c => "+" + c))))
            {
                // One controller the kernel refuses fails the whole write: retry one by one and only
                // insist on the ones the limits need.
                foreach (string controller in missing)
                {
                    if (!TryEnable(current, "+" + controller) && required.Contains(controller))
                    {
                        throw SkiffException.PrerequisiteMissing(
                            $"cannot enable the {controller} controller for containers in {current}",
                            _delegationHint);
                    }
                }
            }

            if (segment is null)
            {
                break;
            }

            current = Path.Combine(current, segment);
            if (!Directory.Exists(current))
            {
                Directory.CreateDirectory(current);
            }
        }
    }

    private static bool TryEnable(string directory, string value)
    {
        try
        {
            CgroupFile.Write(directory, "cgroup.subtree_control", value);
            return true;
        }
        catch (SkiffException)
        {
            return false;
        }
    }

    private static void Apply(string directory, CgroupResources r, bool creating)
    {
        if (r.Memory is not null)
        {
            CgroupFile.Write(directory, "memory.max", r.Memory.Value);
        }

        if (r.MemoryReservation is not null)
        {
            CgroupFile.Write(directory, "memory.low", r.MemoryReservation.Value);
        }

        long? swap = r.MemorySwap;
        bool swapFile = File.Exists(Path.Combine(directory, "memory.swap.max"));
        if (swap is null && creating && r.Memory is not null && swapFile)
        {
            // Docker's default: as much swap as memory.
            swap = r.Memory * 2;
        }

        if (swap is not null)
        {
            if (!swapFile)
            {
                throw SkiffException.PrerequisiteMissing(
                    "cannot apply --memory-swap: the kernel does not account swap (no memory.swap.max)",
                    "drop --memory-swap, or enable swap accounting in the kernel");
            }

            // v2 limits swap alone; docker's --memory-swap is memory plus swap.
            CgroupFile.Write(directory, "memory.swap.max", swap == -1 ? "max" : (swap.Value - (r.Memory ?? 0)).ToString(CultureInfo.InvariantCulture));
        }

        if (r.CpuQuota is not null || r.CpuPeriod is not null)
        {
            string quota = r.CpuQuota is null or < 0 ? "max" : r.CpuQuota.Value.ToString(CultureInfo.InvariantCulture);
            ulong period = r.CpuPeriod ?? ResourceFlagParser.DefaultCpuPeriod;
            CgroupFile.Write(directory, "cpu.max", string.Create(CultureInfo.InvariantCulture, $"{quota} {period}"));
        }

        if (r.CpuShares is not null)
        {
            CgroupFile.Write(directory, "cpu.weight", (long)CgroupWeights.SharesToWeight(r.CpuShares.Value));
        }

        if (r.CpusetCpus is not null)
        {
            CgroupFile.Write(directory, "cpuset.cpus", r.CpusetCpus);
        }

        if (r.CpusetMems is not null)
        {
            CgroupFile.Write(directory, "cpuset.mems", r.CpusetMems);
        }

        if (r.PidsLimit is not null)
        {
            CgroupFile.Write(directory, "pids.max", r.PidsLimit < 0 ? "max" : r.PidsLimit.Value.ToString(CultureInfo.InvariantCulture));
        }

        if (r.BlkioWeight is not null)
        {
            string name = File.Exists(Path.Combine(directory, "io.weight")) ? "io.weight" : "io.bfq.weight";
            if (!File.Exists(Path.Combine(directory, name)))
            {
                throw SkiffException.PrerequisiteMissing(
                    "cannot apply --blkio-weight: the io controller has no weight file (io.weight or io.bfq.weight)",
                    "use a block device scheduler with weights (bfq), or drop --blkio-weight");
            }

            ulong weight = name == "io.weight" ? CgroupWeights.BlkioToIoWeight(r.BlkioWeight.Value) : r.BlkioWeight.Value;
            CgroupFile.Write(directory, name, string.Create(CultureInfo.InvariantCulture, $"default {weight}"));
        }

        ApplyBlockIoLimits(directory, r.BlockIoLimits ?? []);
        if (r.Devices is not null && creating)
        {
            DeviceFilter.Attach(directory, r.Devices);
        }
    }

    /// <summary>Rates go to io.max, one line per device with every key of it; weights to io.weight (or io.bfq.weight) per device.</summary>
    private static void ApplyBlockIoLimits(string directory, IReadOnlyList<BlockIoLimit> limits)
    {
        foreach (IGrouping<(long, long), BlockIoLimit> device in limits.Where(l => l.IoMaxKey is not null).GroupBy(l => (l.Major, l.Minor)))
        {
            // 0 (from update) lifts the limit: "max" in io.max, where v1's files take 0 for that.
            string keys = string.Join(' ', device.Select(l => l.Value == 0 ? $"{l.IoMaxKey}=max" : string.Create(CultureInfo.InvariantCulture, $"{l.IoMaxKey}={l.Value}")));
            CgroupFile.Write(directory, "io.max", string.Create(CultureInfo.InvariantCulture, $"{device.Key.Item1}:{device.Key.Item2} {keys}"));
        }

        foreach (BlockIoLimit weight in limits.Where(l => l.Kind == BlockIoLimitKind.Weight))
        {
            string name = File.Exists(Path.Combine(directory, "io.weight")) ? "io.weight" : "io.bfq.weight";
            if (!File.Exists(Path.Combine(directory, name)))
            {
                throw SkiffException.PrerequisiteMissing(
                    "cannot apply --blkio-weight-device: the io controller has no weight file (io.weight or io.bfq.weight)",
                    "use a block device scheduler with weights (bfq), or drop --blkio-weight-device");
            }

            ulong value = name == "io.weight" ? CgroupWeights.BlkioToIoWeight((ushort)weight.Value) : weight.Value;
            CgroupFile.Write(directory, name, string.Create(CultureInfo.InvariantCulture, $"{weight.Major}:{weight.Minor} {value}"));
        }
    }

    private void SetFrozen(string group, bool frozen)
    {
        string directory = Path.Combine(_mountPoint, group);
        CgroupFile.Write(directory, "cgroup.freeze", frozen ? "1" : "0");
        for (int attempt = 0; attempt < 500; attempt++)
        {
            // cgroup.freeze only requests the state; cgroup.events says when every task has reached it.
            if (CgroupFile.TryReadKey(directory, "cgroup.events", "frozen") == (frozen ? 1UL : 0UL))
            {
                return;
            }

            Thread.Sleep(2);
        }

        throw SkiffException.Unavailable($"the container's tasks did not {(frozen ? "freeze" : "thaw")} in {directory}");
    }

    private static (ulong Read, ulong Write) ReadIo(string? text)
    {
        ulong read = 0, write = 0;
        foreach (string line in (text ?? string.Empty).Split('\n'))
        {
            foreach (string field in line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
            {
                string[] kv = field.Split('=');
                if (kv.Length == 2 && ulong.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
                {
                    if (kv[0] == "rbytes")
                    {
                        read += value;
                    }
                    else if (kv[0] == "wbytes")
                    {
                        write += value;
                    }
                }
            }
        }

        return (read, write);
    }

    private static string V2Name(string v1Controller) => v1Controller switch
    {
        "blkio" => "io",
        _ => v1Controller,
    };

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

using Skiff.Core.Errors;
using Skiff.Runtime.Cgroups;

namespace Skiff.Tests.Unit.Cgroups;

public class CgroupLayoutTests
{
    private const string Hybrid = """
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        39 31 0:36 / /sys/fs/cgroup/pids rw,relatime shared:5 - cgroup cgroup rw,pids
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """;

    private const string CoMounted = "30 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n";

    private const string Unified = "30 25 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n";

    [Fact]
    public void Detects_this_machines_hybrid_layout()
    {
        CgroupLayout layout = CgroupLayoutDetector.Parse(Hybrid, _ => new HashSet<string> { "hugetlb" });
        Assert.Equal(CgroupMode.Hybrid, layout.Mode);
        Assert.Equal("/sys/fs/cgroup/memory", layout.V1Mounts["memory"]);
        Assert.Equal("/sys/fs/cgroup/pids", layout.V1Mounts["pids"]);
        Assert.False(layout.V1Mounts.ContainsKey("name=systemd"));
        Assert.Equal(["/sys/fs/cgroup/systemd"], layout.NamedV1Mounts);
        Assert.Equal("/sys/fs/cgroup/unified", layout.UnifiedMount);
        Assert.Equal(["hugetlb"], layout.UnifiedControllers);
    }

    [Fact]
    public void Co_mounted_controllers_share_a_mount_point()
    {
        CgroupLayout layout = CgroupLayoutDetector.Parse(CoMounted, _ => new HashSet<string>());
        Assert.Equal(CgroupMode.Legacy, layout.Mode);
        Assert.Equal(layout.V1Mounts["cpu"], layout.V1Mounts["cpuacct"]);
    }

    [Fact]
    public void Detects_unified()
    {
        CgroupLayout layout = CgroupLayoutDetector.Parse(Unified, _ => new HashSet<string> { "memory", "pids" });
        Assert.Equal(CgroupMode.Unified, layout.Mode);
        Assert.Empty(layout.V1Mounts);
        Assert.Equal(CgroupMode.None, CgroupLayoutDetector.Parse(string.Empty, _ => new HashSet<string>()).Mode);
    }

    [Fact]
    public void Rootless_on_hybrid_with_limits_fails_with_a_reason_and_hint()
    {
        CgroupLayout layout = CgroupLayoutDetector.Parse(Hybrid, _ => new HashSet<string>());
        SkiffException e = Assert.Throws<SkiffException>(() =>
            CgroupManagerSelector.Select(layout, rootless: true, new CgroupResources(Memory: 32 << 20), null, null));
        Assert.Equal(ErrorKind.PrerequisiteMissing, e.Kind);
        Assert.Contains("--memory", e.Message);
        Assert.Contains("cgroup v1 (hybrid mode)", e.Message);
        Assert.Contains("cgroup v2", e.Hint);
    }

    [Fact]
    public void Rootless_without_limits_runs_without_a_cgroup()
    {
        CgroupLayout layout = CgroupLayoutDetector.Parse(Hybrid, _ => new HashSet<string>());
        Assert.Null(CgroupManagerSelector.Select(layout, rootless: true, CgroupResources.None, null, null));
    }

    [Fact]
    public void Root_gets_v1_on_hybrid_and_v2_or_systemd_on_unified()
    {
        Assert.IsType<CgroupV1Manager>(CgroupManagerSelector.Select(CgroupLayoutDetector.Parse(Hybrid, _ => new HashSet<string>()), false, CgroupResources.None, null, null));
        CgroupLayout unified = CgroupLayoutDetector.Parse(Unified, _ => new HashSet<string>());
        Assert.IsType<CgroupV2Manager>(CgroupManagerSelector.Select(unified, false, CgroupResources.None, null, null));
        Assert.IsType<SystemdCgroupManager>(CgroupManagerSelector.Select(unified, false, CgroupResources.None, new FakeSystemd(_ => { }), null));
    }

    [Fact]
    public void Rootless_v2_needs_the_controller_delegated()
    {
        CgroupLayout unified = CgroupLayoutDetector.Parse(Unified, _ => new HashSet<string>());
        var delegation = new CgroupDelegation("user.slice/user-1001.slice/user@1001.service", true, new HashSet<string> { "memory", "pids" });
        Assert.IsType<CgroupV2Manager>(CgroupManagerSelector.Select(unified, true, new CgroupResources(Memory: 1 << 24), null, delegation));
        SkiffException e = Assert.Throws<SkiffException>(() => CgroupManagerSelector.Select(unified, true, new CgroupResources(CpuShares: 100), null, delegation));
        Assert.Contains("cpu controller is not delegated", e.Message);
        Assert.Contains("Delegate=", e.Hint);

        var none = new CgroupDelegation("user.slice", false, new HashSet<string>());
        SkiffException e2 = Assert.Throws<SkiffException>(() => CgroupManagerSelector.Select(unified, true, new CgroupResources(PidsLimit: 5), null, none));
        Assert.Contains("--pids-limit", e2.Message);
        Assert.Contains("not delegated", e2.Message);
    }

    [Fact]
    public void Systemd_bus_is_absent_unless_booted_with_systemd()
    {
        string run = Directory.CreateTempSubdirectory("skiff-run-").FullName;
        try
        {
            var env = new Dictionary<string, string?> { ["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/run/user/1001/bus" };
            Assert.Null(SystemdBus.FindAddress(true, env, run));
            Directory.CreateDirectory(Path.Combine(run, "systemd"));
            Assert.Null(SystemdBus.FindAddress(true, env, run));
            Directory.CreateDirectory(Path.Combine(run, "systemd", "system"));
            Assert.Equal("unix:path=/run/user/1001/bus", SystemdBus.FindAddress(true, env, run));
        }
        finally
        {
            Directory.Delete(run, recursive: true);
        }
    }
}

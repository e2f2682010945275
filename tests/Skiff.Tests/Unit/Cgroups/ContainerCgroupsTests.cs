using System.Text.Json.Nodes;
using Skiff.Core.Errors;
using Skiff.Core.Users;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Cgroups;

public sealed class ContainerCgroupsTests
{
    private static CgroupLayout Hybrid(string root) => new(
        CgroupMode.Hybrid,
        new Dictionary<string, string> { ["memory"] = Path.Combine(root, "memory"), ["cpu"] = Path.Combine(root, "cpu"), ["pids"] = Path.Combine(root, "pids") },
        Path.Combine(root, "unified"),
        new HashSet<string>());

    [Fact]
    public void Root_on_v1_gets_a_group_named_after_the_container_even_without_limits()
    {
        var cgroups = new ContainerCgroups(Hybrid("/nonexistent"), rootless: false, () => null);
        Assert.Equal("skiff/abc", cgroups.Plan("abc", CgroupResources.None)?.Group);
        Assert.Equal("skiff/abc", cgroups.Plan("abc", new CgroupResources(Memory: 64L << 20))?.Group);
    }

    [Fact]
    public void Root_is_refused_a_limit_whose_controller_is_missing()
    {
        var cgroups = new ContainerCgroups(Hybrid("/nonexistent"), rootless: false, () => null);
        SkiffException e = Assert.Throws<SkiffException>(() => cgroups.Plan("abc", new CgroupResources(CpusetCpus: "0")));
        Assert.Equal(ErrorKind.PrerequisiteMissing, e.Kind);
        Assert.Contains("--cpuset-cpus", e.Message);
    }

    [Fact]
    public void Rootless_on_v1_runs_without_a_group_and_is_refused_limits_with_a_hint()
    {
        var cgroups = new ContainerCgroups(Hybrid("/nonexistent"), rootless: true, () => null);
        Assert.Null(cgroups.Plan("abc", CgroupResources.None)?.Group);
        SkiffException e = Assert.Throws<SkiffException>(() => cgroups.Plan("abc", new CgroupResources(Memory: 64L << 20)));
        Assert.Contains("cannot apply --memory", e.Message);
        Assert.NotNull(e.Hint);
        SkiffException pause = Assert.Throws<SkiffException>(() => cgroups.ManagerFor(null, "web", "pause"));
        Assert.Contains("cannot pause container \"web\"", pause.Message);
    }

    [Fact]
    public void Memory_swap_defaults_to_twice_the_memory_only_when_the_kernel_accounts_swap()
    {
        string root = Directory.CreateTempSubdirectory("skiff-cg").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "memory"));
            var cgroups = new ContainerCgroups(Hybrid(root), rootless: false, () => null);
            Assert.Null(cgroups.WithDefaults(new CgroupResources(Memory: 100)).MemorySwap);
            File.WriteAllText(Path.Combine(root, "memory", "memory.memsw.limit_in_bytes"), "9223372036854771712\n");
            Assert.Equal(200, cgroups.WithDefaults(new CgroupResources(Memory: 100)).MemorySwap);
            Assert.Equal(150, cgroups.WithDefaults(new CgroupResources(Memory: 100, MemorySwap: 150)).MemorySwap);
            Assert.Null(cgroups.WithDefaults(new CgroupResources(PidsLimit: 5)).MemorySwap);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_systemd_bus_on_unified_v2_gets_a_scope_unless_cgroupfs_is_asked_for()
    {
        using var tree = new FakeCgroupTree("memory", "pids");
        CgroupLayout unified = new(CgroupMode.Unified, new Dictionary<string, string>(), tree.Root, new HashSet<string>());
        using PrivateDbusDaemon daemon = PrivateDbusDaemon.Start();
        using FakeSystemdService systemd = await FakeSystemdService.RegisterAsync(daemon.Address);
        string bus = daemon.Address;

        Assert.Equal(
            new CgroupPlan("machine.slice/skiff-abc.scope", "systemd", PrivateNamespace: true),
            new ContainerCgroups(unified, rootless: false, () => null, bus).Plan("abc", CgroupResources.None));

        // A user's instance: the scope goes below the instance's own group, as systemd reports it.
        systemd.ControlGroup = "/user.slice/user-1001.slice/user@1001.service";
        Assert.Equal(
            new CgroupPlan("user.slice/user-1001.slice/user@1001.service/user.slice/skiff-abc.scope", "systemd", PrivateNamespace: true),
            new ContainerCgroups(unified, rootless: true, () => null, bus, uid: CurrentUser.Detect().Uid).Plan("abc", CgroupResources.None));
        Assert.Equal(
            new CgroupPlan("skiff/abc", "cgroupfs", PrivateNamespace: true),
            new ContainerCgroups(unified, rootless: false, () => null, systemdBus: null, manager: "cgroupfs").Plan("abc", CgroupResources.None));
        Assert.Equal(
            new CgroupPlan("skiff/abc", "cgroupfs", PrivateNamespace: true),
            new ContainerCgroups(unified, rootless: false, () => null, systemdBus: null).Plan("abc", CgroupResources.None));
        Assert.Equal("systemd", new ContainerCgroups(unified, rootless: false, () => null, bus).DefaultManagerName());
    }

    [Fact]
    public void Root_on_hybrid_v1_keeps_cgroupfs_even_with_a_bus_and_systemd_asked_for_is_refused()
    {
        const string bus = "unix:path=/run/dbus/system_bus_socket";
        Assert.Equal(
            new CgroupPlan("skiff/abc", "cgroupfs"),
            new ContainerCgroups(Hybrid("/nonexistent"), rootless: false, () => null, bus).Plan("abc", CgroupResources.None));

        SkiffException v1 = Assert.Throws<SkiffException>(() =>
            new ContainerCgroups(Hybrid("/nonexistent"), rootless: false, () => null, bus, manager: "systemd").Plan("abc", CgroupResources.None));
        Assert.Contains("needs cgroup v2", v1.Message);
        Assert.Equal("use --cgroup-manager=cgroupfs", v1.Hint);

        using var tree = new FakeCgroupTree("memory");
        CgroupLayout unified = new(CgroupMode.Unified, new Dictionary<string, string>(), tree.Root, new HashSet<string>());
        SkiffException noBus = Assert.Throws<SkiffException>(() =>
            new ContainerCgroups(unified, rootless: true, () => null, systemdBus: null, manager: "systemd").Plan("abc", CgroupResources.None));
        Assert.Contains("$XDG_RUNTIME_DIR/bus", noBus.Message);
    }

    [Fact]
    public void An_unknown_cgroup_manager_is_refused()
    {
        SkiffException e = Assert.Throws<SkiffException>(() => CgroupManagers.Validate("openrc"));
        Assert.Contains("invalid cgroup manager `openrc`", e.Message);
        Assert.Null(CgroupManagers.Validate(null));
    }

    [Fact]
    public void Resources_are_written_in_the_oci_spec_shape()
    {
        static string Written(CgroupResources resources) => JsonNode.Parse(Skiff.Runtime.Spec.SpecJsonWriter.Write(new Skiff.Runtime.Spec.RuntimeSpec
        {
            Linux = new Skiff.Runtime.Spec.LinuxSpec { Resources = OciResources.ToSpec(resources) },
        }))!["linux"]!["resources"]!.ToJsonString();

        Assert.Equal(
            """{"memory":{"limit":33554432,"swap":67108864},"cpu":{"shares":512,"quota":50000,"period":100000,"cpus":"0-1"},"pids":{"limit":20},"blockIO":{"weight":300}}""",
            Written(new CgroupResources(Memory: 32L << 20, MemorySwap: 64L << 20, CpuQuota: 50_000, CpuPeriod: 100_000, CpuShares: 512, CpusetCpus: "0-1", PidsLimit: 20, BlkioWeight: 300)));
        Assert.Equal("{}", Written(CgroupResources.None));
    }

    [Fact]
    public void Network_counters_sum_every_interface_but_loopback()
    {
        const string netDev = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:    1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0
              eth0:    5000      40    0    0    0     0          0         0      700       7    0    0    0     0       0          0
               tap0:     100       1    0    0    0     0          0         0       30       1    0    0    0     0       0          0
            """;
        Assert.Equal((5100UL, 730UL), ContainerUsageReader.ParseNetDev(netDev));
    }
}

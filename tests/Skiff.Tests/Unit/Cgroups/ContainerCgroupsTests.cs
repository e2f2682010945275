using System.Text.Json.Nodes;
using Skiff.Core.Errors;
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
        Assert.Equal("skiff/abc", cgroups.Plan("abc", CgroupResources.None));
        Assert.Equal("skiff/abc", cgroups.Plan("abc", new CgroupResources(Memory: 64L << 20)));
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
        Assert.Null(cgroups.Plan("abc", CgroupResources.None));
        SkiffException e = Assert.Throws<SkiffException>(() => cgroups.Plan("abc", new CgroupResources(Memory: 64L << 20)));
        Assert.Contains("cannot apply --memory", e.Message);
        Assert.NotNull(e.Hint);
        SkiffException pause = Assert.Throws<SkiffException>(() => cgroups.ManagerFor(null, "web", "pause"));
        Assert.Contains("cannot pause container web", pause.Message);
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
    public void Resources_are_written_in_the_oci_spec_shape()
    {
        JsonObject json = OciResources.ToJson(new CgroupResources(
            Memory: 32L << 20, MemorySwap: 64L << 20, CpuQuota: 50_000, CpuPeriod: 100_000, CpuShares: 512, CpusetCpus: "0-1", PidsLimit: 20, BlkioWeight: 300));
        Assert.Equal(
            """{"memory":{"limit":33554432,"swap":67108864},"cpu":{"shares":512,"quota":50000,"period":100000,"cpus":"0-1"},"pids":{"limit":20},"blockIO":{"weight":300}}""",
            json.ToJsonString());
        Assert.Equal("{}", OciResources.ToJson(CgroupResources.None).ToJsonString());
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

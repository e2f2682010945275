using Skiff.Core.Errors;
using Skiff.Runtime.Cgroups;

namespace Skiff.Tests.Unit.Cgroups;

public class ResourceFlagParserTests
{
    [Theory]
    [InlineData("32m", 32L * 1024 * 1024)]
    [InlineData("32MB", 32L * 1024 * 1024)]
    [InlineData("1.5g", 3L * 512 * 1024 * 1024)]
    [InlineData("4096", 4096L)]
    [InlineData("64k", 65536L)]
    [InlineData("2b", 2L)]
    public void Parses_docker_sizes(string text, long bytes) => Assert.Equal(bytes, ByteSize.Parse(text, "--memory"));

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("12x")]
    [InlineData("-5m")]
    public void Rejects_bad_sizes(string text)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => ByteSize.Parse(text, "--memory"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("--memory", e.Message);
    }

    [Fact]
    public void Cpus_become_quota_over_the_default_period()
    {
        CgroupResources r = ResourceFlagParser.Parse(new ResourceFlags { Cpus = "0.5" }, 2);
        Assert.Equal(50_000, r.CpuQuota);
        Assert.Equal(100_000UL, r.CpuPeriod);
    }

    [Fact]
    public void All_flags_together()
    {
        CgroupResources r = ResourceFlagParser.Parse(
            new ResourceFlags { Memory = "32m", MemorySwap = "64m", CpuShares = "512", CpusetCpus = "0-1", PidsLimit = "20", BlkioWeight = "300", MemoryReservation = "16m" }, 2);
        Assert.Equal(new CgroupResources(32L << 20, 64L << 20, null, null, 512, "0-1", 20, 300, 16L << 20), r);
    }

    [Fact]
    public void Zero_values_mean_unset_or_unlimited()
    {
        CgroupResources r = ResourceFlagParser.Parse(new ResourceFlags { Memory = "0", Cpus = "0", PidsLimit = "0", BlkioWeight = "0", CpuShares = "0", MemoryReservation = "0" }, 2);
        Assert.Equal(new CgroupResources(PidsLimit: -1), r);
    }

    [Theory]
    [InlineData("3", "range of CPUs is from 0.01 to 2.00")]
    [InlineData("0.001", "range of CPUs")]
    [InlineData("abc", "invalid value for --cpus")]
    public void Cpus_out_of_range(string cpus, string message)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => ResourceFlagParser.Parse(new ResourceFlags { Cpus = cpus }, 2));
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("1m", null, "minimum memory reservation allowed is 6MB")]
    [InlineData("64m", "32m", "minimum memory limit can not be less than memory reservation limit")]
    [InlineData("x", null, "invalid size for --memory-reservation")]
    public void Memory_reservation_rules_follow_docker(string reservation, string? memory, string message)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => ResourceFlagParser.Parse(new ResourceFlags { MemoryReservation = reservation, Memory = memory }, 2));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Cpus_conflicts_with_quota()
    {
        SkiffException e = Assert.Throws<SkiffException>(() => ResourceFlagParser.Parse(new ResourceFlags { Cpus = "1", CpuQuota = "50000" }, 2));
        Assert.Contains("conflicting options", e.Message);
    }

    [Fact]
    public void Swap_rules_follow_docker()
    {
        Assert.Contains("needs --memory", Assert.Throws<SkiffException>(() => ResourceFlagParser.Parse(new ResourceFlags { MemorySwap = "64m" }, 2)).Message);
        Assert.Contains("larger than or equal", Assert.Throws<SkiffException>(() => ResourceFlagParser.Parse(new ResourceFlags { Memory = "64m", MemorySwap = "32m" }, 2)).Message);
        Assert.Equal(-1, ResourceFlagParser.Parse(new ResourceFlags { Memory = "64m", MemorySwap = "-1" }, 2).MemorySwap);
    }

    [Fact]
    public void Memory_below_six_megabytes_is_refused()
    {
        Assert.Contains("6MB", Assert.Throws<SkiffException>(() => ResourceFlagParser.Parse(new ResourceFlags { Memory = "1m" }, 2)).Message);
    }

    [Theory]
    [InlineData("0-2,4", 4)]
    [InlineData("1", 1)]
    [InlineData("0-1", 2)]
    public void Cpu_lists(string text, int count) => Assert.Equal(count, CpuList.Parse(text, "--cpuset-cpus").Count);

    [Theory]
    [InlineData("2-1")]
    [InlineData("a")]
    [InlineData("1,,2")]
    public void Bad_cpu_lists(string text) => Assert.Throws<SkiffException>(() => CpuList.Parse(text, "--cpuset-cpus"));

    [Fact]
    public void Cpuset_naming_a_missing_cpu_is_refused()
    {
        Assert.Contains("cpu 3 does not exist", Assert.Throws<SkiffException>(() => ResourceFlagParser.Parse(new ResourceFlags { CpusetCpus = "0,3" }, 2)).Message);
    }

    [Theory]
    [InlineData("-2")]
    [InlineData("x")]
    public void Bad_pids_limit(string text) => Assert.Throws<SkiffException>(() => ResourceFlagParser.Parse(new ResourceFlags { PidsLimit = text }, 2));

    [Theory]
    [InlineData(2UL, 1UL)]
    [InlineData(1024UL, 39UL)]
    [InlineData(262144UL, 10000UL)]
    public void Shares_map_to_weight_as_crun(ulong shares, ulong weight) => Assert.Equal(weight, CgroupWeights.SharesToWeight(shares));

    [Theory]
    [InlineData((ushort)10, 1UL)]
    [InlineData((ushort)500, 4950UL)]
    [InlineData((ushort)1000, 10000UL)]
    public void Blkio_weight_maps_to_io_weight(ushort blkio, ulong io) => Assert.Equal(io, CgroupWeights.BlkioToIoWeight(blkio));

    [Fact]
    public void Update_overrides_only_what_is_set()
    {
        var current = new CgroupResources(Memory: 100, PidsLimit: 5);
        Assert.Equal(new CgroupResources(Memory: 100, PidsLimit: 9), current.With(new CgroupResources(PidsLimit: 9)));
    }
}

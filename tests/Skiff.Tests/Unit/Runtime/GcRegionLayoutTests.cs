using Skiff.Runtime.Memory;

namespace Skiff.Tests.Unit.Runtime;

public class GcRegionLayoutTests
{
    private const long Block = 2 * 1024 * 1024;

    /// <summary>What <see cref="GC.GetConfigurationVariables"/> reports on these machines (2 CPUs, 24 GiB, workstation GC).</summary>
    private static Dictionary<string, object> Defaults() => new()
    {
        ["ServerGC"] = false,
        ["GCLargePages"] = false,
        ["HeapCount"] = 1L,
        ["GCHeapHardLimit"] = 0L,
        ["GCRegionRange"] = 50552332288L,
        ["GCRegionSize"] = 0L,
    };

    [Fact]
    public void The_default_layout_keeps_a_block_inside_a_region()
    {
        Assert.True(GcRegionLayout.BlocksStayInsideRegions(Defaults(), Block));
    }

    [Fact]
    public void A_hard_limit_of_a_few_hundred_megabytes_still_leaves_regions_big_enough()
    {
        // Under a 256 MB cgroup limit the collector reports a 192 MB hard limit and a 960 MB range (measured).
        Dictionary<string, object> limited = Defaults();
        limited["GCHeapHardLimit"] = 201326592L;
        limited["GCRegionRange"] = 1006632960L;
        Assert.True(GcRegionLayout.BlocksStayInsideRegions(limited, Block));
    }

    [Theory]
    [InlineData(64L * 1024 * 1024, 1L)]
    [InlineData(1024L * 1024 * 1024, 8L)]
    public void A_small_range_per_heap_may_mean_small_regions(long range, long heaps)
    {
        Dictionary<string, object> small = Defaults();
        small["GCRegionRange"] = range;
        small["HeapCount"] = heaps;
        Assert.False(GcRegionLayout.BlocksStayInsideRegions(small, Block));
    }

    [Theory]
    [InlineData(1024L * 1024, false)]
    [InlineData(2048L * 1024, true)]
    [InlineData(8192L * 1024, true)]
    public void A_configured_region_size_decides(long regionSize, bool inside)
    {
        Dictionary<string, object> configured = Defaults();
        configured["GCRegionSize"] = regionSize;
        configured["GCRegionRange"] = 64L * 1024 * 1024;
        Assert.Equal(inside, GcRegionLayout.BlocksStayInsideRegions(configured, Block));
    }

    [Fact]
    public void Large_pages_or_unknown_settings_mean_no()
    {
        Dictionary<string, object> large = Defaults();
        large["GCLargePages"] = true;
        Assert.False(GcRegionLayout.BlocksStayInsideRegions(large, Block));

        Dictionary<string, object> missing = Defaults();
        missing.Remove("GCRegionRange");
        Assert.False(GcRegionLayout.BlocksStayInsideRegions(missing, Block));
        Assert.False(GcRegionLayout.BlocksStayInsideRegions(new Dictionary<string, object>(), Block));
    }

    [Fact]
    public void This_process_reports_what_the_check_reads()
    {
        // The test host's collector (CoreCLR, same collector as NativeAOT's) names the settings the check needs.
        IReadOnlyDictionary<string, object> settings = GC.GetConfigurationVariables();
        Assert.Contains("GCRegionRange", settings.Keys);
        Assert.Contains("GCRegionSize", settings.Keys);
        Assert.Contains("GCLargePages", settings.Keys);
        Assert.True(GcRegionLayout.BlocksStayInsideRegions(settings, Block));
    }
}

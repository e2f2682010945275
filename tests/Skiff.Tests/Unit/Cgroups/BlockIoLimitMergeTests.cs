using Skiff.Runtime.Cgroups;

namespace Skiff.Tests.Unit.Cgroups;

/// <summary>skiff update of the per-device block IO settings: merged into the container's device by device.</summary>
public class BlockIoLimitMergeTests
{
    private static BlockIoLimit Limit(BlockIoLimitKind kind, long minor, ulong value) => new(kind, $"/dev/loop{minor}", 7, minor, value);

    private static string Show(IReadOnlyList<BlockIoLimit>? limits) =>
        limits is null ? "null" : string.Join(' ', limits.Select(l => $"{l.Kind}:{l.Major}:{l.Minor}={l.Value}"));

    [Fact]
    public void A_setting_given_again_for_a_device_replaces_its_old_one_and_the_others_stay()
    {
        CgroupResources stored = new(Memory: 64 << 20, BlockIoLimits: [Limit(BlockIoLimitKind.ReadBps, 0, 100), Limit(BlockIoLimitKind.WriteBps, 0, 200), Limit(BlockIoLimitKind.ReadBps, 1, 300)]);
        CgroupResources merged = stored.With(new CgroupResources(BlockIoLimits: [Limit(BlockIoLimitKind.ReadBps, 0, 111), Limit(BlockIoLimitKind.ReadIops, 1, 5)]));
        Assert.Equal("WriteBps:7:0=200 ReadBps:7:1=300 ReadBps:7:0=111 ReadIops:7:1=5", Show(merged.BlockIoLimits));
        Assert.Equal(64 << 20, merged.Memory);
    }

    [Fact]
    public void Zero_removes_a_devices_setting_and_nothing_left_is_null()
    {
        IReadOnlyList<BlockIoLimit> stored = [Limit(BlockIoLimitKind.ReadBps, 0, 100), Limit(BlockIoLimitKind.Weight, 0, 500)];
        Assert.Equal("Weight:7:0=500", Show(BlockIoLimit.Merge(stored, [Limit(BlockIoLimitKind.ReadBps, 0, 0)])));
        Assert.Equal("null", Show(BlockIoLimit.Merge(stored, [Limit(BlockIoLimitKind.ReadBps, 0, 0), Limit(BlockIoLimitKind.Weight, 0, 0)])));
        Assert.Equal("null", Show(BlockIoLimit.Merge(null, [Limit(BlockIoLimitKind.ReadBps, 0, 0)])));
    }

    [Fact]
    public void An_update_without_block_io_settings_keeps_them_and_the_last_of_two_wins()
    {
        IReadOnlyList<BlockIoLimit> stored = [Limit(BlockIoLimitKind.WriteIops, 2, 9)];
        Assert.Same(stored, BlockIoLimit.Merge(stored, null));
        Assert.Equal("WriteIops:7:2=9 ReadBps:7:0=2", Show(BlockIoLimit.Merge(stored, [Limit(BlockIoLimitKind.ReadBps, 0, 1), Limit(BlockIoLimitKind.ReadBps, 0, 2)])));
    }

    [Fact]
    public void V2_an_update_to_zero_lifts_the_limit_in_io_max()
    {
        using var tree = new FakeCgroupTree("io");
        tree.AddGroup("skiff", "io");
        tree.AddGroup("skiff/c1", "io");
        var manager = new CgroupV2Manager(tree.Root);
        manager.Update("skiff/c1", new CgroupResources(BlockIoLimits: [Limit(BlockIoLimitKind.ReadBps, 0, 0), Limit(BlockIoLimitKind.WriteIops, 0, 10)]));
        Assert.Equal("7:0 rbps=max wiops=10", tree.Read("skiff/c1", "io.max"));
    }
}

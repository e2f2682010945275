using Skiff.Core.Errors;
using Skiff.Runtime.Cgroups;

namespace Skiff.Tests.Unit.Cgroups;

public class BlockIoLimitParserTests
{
    private static readonly BlockIoLimitParser Parser = new(path => path == "/dev/sda" ? (8, 0) : null);

    [Theory]
    [InlineData(BlockIoLimitKind.ReadBps, "/dev/sda:1mb", 1UL << 20)]
    [InlineData(BlockIoLimitKind.WriteBps, "/dev/sda:10k", 10UL << 10)]
    [InlineData(BlockIoLimitKind.WriteBps, "/dev/sda:4096", 4096UL)]
    [InlineData(BlockIoLimitKind.ReadBps, "/dev/sda:1GB", 1UL << 30)]
    [InlineData(BlockIoLimitKind.ReadIops, "/dev/sda:1000", 1000UL)]
    [InlineData(BlockIoLimitKind.WriteIops, "/dev/sda:5", 5UL)]
    [InlineData(BlockIoLimitKind.Weight, "/dev/sda:500", 500UL)]
    [InlineData(BlockIoLimitKind.Weight, "/dev/sda:0", 0UL)]
    public void Parses_device_and_value(BlockIoLimitKind kind, string text, ulong value) =>
        Assert.Equal(new BlockIoLimit(kind, "/dev/sda", 8, 0, value), Parser.Parse(kind, text));

    [Theory]
    [InlineData(BlockIoLimitKind.ReadBps, "/dev/sda", "bad format: /dev/sda")]
    [InlineData(BlockIoLimitKind.ReadBps, "/dev/sda:1xb", "invalid rate for device: /dev/sda:1xb. The correct format is <device-path>:<number>[<unit>]")]
    [InlineData(BlockIoLimitKind.ReadIops, "/dev/sda:1.5", "invalid rate for device: /dev/sda:1.5. The correct format is <device-path>:<number>. Number")]
    [InlineData(BlockIoLimitKind.WriteIops, "/dev/sda:-1", "invalid rate for device")]
    [InlineData(BlockIoLimitKind.ReadBps, "/etc/passwd:1mb", "bad format for device path: /etc/passwd:1mb")]
    [InlineData(BlockIoLimitKind.ReadBps, "sda:1mb", "bad format for device path: sda:1mb")]
    [InlineData(BlockIoLimitKind.Weight, "/dev/sda:5", "invalid weight for device: /dev/sda:5")]
    [InlineData(BlockIoLimitKind.Weight, "/dev/sda:1001", "invalid weight for device: /dev/sda:1001")]
    public void Refuses_with_podmans_messages(BlockIoLimitKind kind, string text, string message)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => Parser.Parse(kind, text));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
        Assert.NotNull(e.Hint);
    }

    [Fact]
    public void Kinds_name_their_files_and_keys()
    {
        Assert.Equal("blkio.throttle.read_bps_device", new BlockIoLimit(BlockIoLimitKind.ReadBps, null, 8, 0, 1).V1ThrottleFile);
        Assert.Equal("blkio.throttle.write_iops_device", new BlockIoLimit(BlockIoLimitKind.WriteIops, null, 8, 0, 1).V1ThrottleFile);
        Assert.Null(new BlockIoLimit(BlockIoLimitKind.Weight, null, 8, 0, 1).V1ThrottleFile);
        Assert.Equal("8:16 1048576", new BlockIoLimit(BlockIoLimitKind.ReadBps, null, 8, 16, 1 << 20).V1Line);
        Assert.Equal("wiops", new BlockIoLimit(BlockIoLimitKind.WriteIops, null, 8, 0, 1).IoMaxKey);
    }

    [Fact]
    public void V2_writes_one_io_max_line_per_device_and_weights_per_device()
    {
        using var tree = new FakeCgroupTree("io");
        tree.AddGroup("skiff", "io");
        tree.AddGroup("skiff/c1", "io");
        var manager = new CgroupV2Manager(tree.Root);
        manager.Create("c1", new CgroupResources(BlockIoLimits:
        [
            new BlockIoLimit(BlockIoLimitKind.ReadBps, "/dev/sda", 8, 0, 1 << 20),
            new BlockIoLimit(BlockIoLimitKind.WriteIops, "/dev/sda", 8, 0, 100),
        ]), 1);
        Assert.Equal("8:0 rbps=1048576 wiops=100", tree.Read("skiff/c1", "io.max"));

        manager.Update("skiff/c1", new CgroupResources(BlockIoLimits: [new BlockIoLimit(BlockIoLimitKind.Weight, "/dev/sda", 8, 0, 1000)]));
        Assert.Equal("8:0 10000", tree.Read("skiff/c1", "io.weight"));
    }

    [Fact]
    public void V2_without_the_io_controller_refuses_and_names_the_flag()
    {
        using var tree = new FakeCgroupTree("memory");
        tree.AddGroup("skiff", "memory");
        var manager = new CgroupV2Manager(tree.Root);
        SkiffException e = Assert.Throws<SkiffException>(() => manager.Create("c2", new CgroupResources(BlockIoLimits: [new BlockIoLimit(BlockIoLimitKind.WriteBps, "/dev/sda", 8, 0, 1)]), 1));
        Assert.Equal(ErrorKind.PrerequisiteMissing, e.Kind);
        Assert.Contains("--device-write-bps", e.Message);
    }
}

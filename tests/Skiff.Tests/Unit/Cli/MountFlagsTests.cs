using Skiff.Cli.Commands.Containers;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Cli;

public sealed class MountFlagsTests
{
    [Fact]
    public void Named_and_anonymous_volumes_from_v()
    {
        IReadOnlyList<ContainerMount> mounts = MountFlags.Parse(["data:/var/lib/data:ro", "/cache", "/scratch:ro", "/tmp:/host-tmp"], [], []);
        Assert.Equal(new[] { "volume", "volume", "volume", "bind" }, mounts.Select(m => m.Type));
        Assert.Equal("data", mounts[0].Name);
        Assert.True(mounts[0].ReadOnly);
        Assert.Equal("/var/lib/data", mounts[0].Destination);
        Assert.Null(mounts[1].Name);
        Assert.Equal("/cache", mounts[1].Destination);
        Assert.True(mounts[2].ReadOnly);
        Assert.Equal("/tmp", mounts[3].Source);
    }

    [Fact]
    public void Volumes_from_mount()
    {
        IReadOnlyList<ContainerMount> mounts = MountFlags.Parse([], ["type=volume,source=v1,target=/a,readonly", "type=volume,dst=/b,volume-nocopy"], []);
        Assert.Equal("v1", mounts[0].Name);
        Assert.True(mounts[0].ReadOnly);
        Assert.Null(mounts[1].Name);
        Assert.Contains("nocopy", mounts[1].Options);
    }

    [Theory]
    [InlineData("bad/name:/x")]
    [InlineData("-x:/x")]
    [InlineData("relative")]
    [InlineData("v:/x:bogus")]
    public void Bad_volume_specs_are_refused(string spec)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => MountFlags.Parse([spec], [], []));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Theory]
    [InlineData("ctr:/etc", "ctr", "/etc")]
    [InlineData("ctr:relative", "ctr", "relative")]
    [InlineData("/host/a:b", null, "/host/a:b")]
    [InlineData("./a:b", null, "./a:b")]
    [InlineData("-", null, "-")]
    [InlineData("plain", null, "plain")]
    public void Cp_arguments_split_like_docker(string argument, string? container, string path)
    {
        Assert.Equal((container, path), CpCommand.Split(argument));
    }
}

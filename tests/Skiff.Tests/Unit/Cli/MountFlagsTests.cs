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

    [Fact]
    public void Tmpfs_options_are_completed_as_podman_does()
    {
        IReadOnlyList<ContainerMount> mounts = MountFlags.Parse([], [], ["/data", "/x:notmpcopyup,size=1m", "/y:ro,noexec,mode=700", "/z:rw,exec,suid,dev,tmpcopyup"]);
        Assert.Equal("rw,rprivate,nosuid,nodev,tmpcopyup", string.Join(',', mounts[0].Options));
        Assert.Equal("size=1m,rw,rprivate,nosuid,nodev", string.Join(',', mounts[1].Options));
        Assert.Equal("ro,noexec,mode=700,rprivate,nosuid,nodev,tmpcopyup", string.Join(',', mounts[2].Options));
        Assert.True(mounts[2].ReadOnly);
        Assert.Equal("rw,exec,suid,dev,rprivate,tmpcopyup", string.Join(',', mounts[3].Options));
    }

    [Fact]
    public void Mount_type_tmpfs_reads_podmans_fields()
    {
        IReadOnlyList<ContainerMount> mounts = MountFlags.Parse([], ["type=tmpfs,target=/y,tmpfs-size=2m,tmpfs-mode=755", "type=tmpfs,dst=/n,ro,notmpcopyup", "type=tmpfs,destination=/e,exec,readonly=false"], []);
        Assert.Equal("size=2m,mode=755,rw,rprivate,nosuid,nodev,tmpcopyup", string.Join(',', mounts[0].Options));
        Assert.Equal("ro,rprivate,nosuid,nodev", string.Join(',', mounts[1].Options));
        Assert.Equal("exec,rw,rprivate,nosuid,nodev,tmpcopyup", string.Join(',', mounts[2].Options));
    }

    [Theory]
    [InlineData("type=tmpfs,target=/y,bogus=1", "bogus: invalid mount option")]
    [InlineData("type=tmpfs,target=/y,src=/tmp", "source is not supported with tmpfs mounts")]
    [InlineData("type=tmpfs,target=/y,U", "U (chown) is not supported")]
    [InlineData("type=tmpfs,target=/y,ro=maybe", "ro takes true or false")]
    public void Mount_type_tmpfs_refuses_what_it_cannot_do(string spec, string message)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => MountFlags.Parse([], [spec], []));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}

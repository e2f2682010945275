using Skiff.Cli.Commands.Containers;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Cli;

public sealed class EnvMergeTests
{
    private static readonly string[] Image = ["PATH=/bin:/usr/bin", "hello=world", "empty="];

    [Fact]
    public void Rewrites_only_the_images_variables_with_their_values()
    {
        IReadOnlyList<string> merged = EnvMerge.Apply(Image, ["hello=${hello}-some", "PATH=/x:$PATH", "new=${hello}", "empty=${empty:-d}/${hello:+alt}/\\$hello"]);
        Assert.Equal(["PATH=/x:/bin:/usr/bin", "hello=world-some", "empty=d/alt/$hello"], merged);
    }

    [Fact]
    public void Each_merge_sees_the_ones_before_it_and_unknown_variables_are_empty()
    {
        Assert.Equal(["PATH=/bin:/usr/bin", "hello=world-a-b|", "empty="], EnvMerge.Apply(Image, ["hello=${hello}-a", "hello=$hello-b|$nope"]));
        Assert.Same(Image, EnvMerge.Apply(Image, []));
    }

    [Theory]
    [InlineData("noequals", "it takes NAME=VALUE")]
    [InlineData("hello=${hello", "missing '}'")]
    [InlineData("hello=${hello:=x}", "unsupported modifier")]
    public void Refuses_what_it_cannot_read(string merge, string message)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => EnvMerge.Apply(Image, [merge]));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Image_volumes_and_read_only_tmpfs_add_tmpfs_where_the_user_has_no_mount()
    {
        IReadOnlyList<ContainerMount> mounts = ImageVolumes.AddTmpfs([new ContainerMount("tmpfs", "tmpfs", "/tmp/", null, ["size=1m"])], ImageVolumes.ReadOnlyTmpfsDestinations);
        Assert.Equal(["/tmp/", "/run", "/var/tmp"], mounts.Select(m => m.Destination));
        Assert.Equal("rw,rprivate,nosuid,nodev,tmpcopyup", string.Join(',', mounts[1].Options));
        Assert.Equal("tmpfs", ImageVolumes.ParseMode("tmpfs"));
        Assert.Contains("required value: bind, tmpfs, ignore", Assert.Throws<SkiffException>(() => ImageVolumes.ParseMode("x")).Message, StringComparison.Ordinal);
    }
}

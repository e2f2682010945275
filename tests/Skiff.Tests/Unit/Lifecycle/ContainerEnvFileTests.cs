using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Lifecycle;

public sealed class ContainerEnvFileTests
{
    private static ContainerConfig Config(bool privileged) => new()
    {
        Id = new string('a', 64), Name = "web", Created = DateTimeOffset.UnixEpoch, Image = "localhost/busybox:latest",
        ImageId = "sha256:" + new string('b', 64), Runtime = "skiff", Cmd = ["true"], Privileged = privileged,
    };

    [Fact]
    public void Is_empty_unless_privileged_as_podman()
    {
        Assert.Equal(string.Empty, ContainerEnvFile.Text(Config(privileged: false), rootless: true, "skiff-0.1.0"));
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public void A_privileged_container_gets_podmans_keys(bool rootless, int flag)
    {
        Assert.Equal(
            $"engine=\"skiff-0.1.0\"\nname=\"web\"\nid=\"{new string('a', 64)}\"\nimage=\"localhost/busybox:latest\"\nimageid=\"{new string('b', 64)}\"\nrootless={flag}\n",
            ContainerEnvFile.Text(Config(privileged: true), rootless, "skiff-0.1.0"));
    }
}

using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Lifecycle;

public class DeviceRequestTests
{
    [Theory]
    [InlineData("/dev/fuse", "/dev/fuse", "/dev/fuse", "rwm")]
    [InlineData("/dev/null:/dev/mynull", "/dev/null", "/dev/mynull", "rwm")]
    [InlineData("/dev/null:/dev/mynull:r", "/dev/null", "/dev/mynull", "r")]
    [InlineData("/dev/null:rw", "/dev/null", "/dev/null", "rw")]
    [InlineData("/dev/null:m", "/dev/null", "/dev/null", "m")]
    [InlineData("/dev/snd:/dev/snd:wr", "/dev/snd", "/dev/snd", "wr")]
    public void Parses_podman_syntax(string text, string source, string destination, string permissions) =>
        Assert.Equal(new DeviceRequest(source, destination, permissions), DeviceRequest.Parse(text));

    [Theory]
    [InlineData("/dev/null:/dev/x:z", "invalid device mode: z")]
    [InlineData("/dev/null:dev/x", "invalid device mode: dev/x")]
    [InlineData("/dev/null:/dev/x:rw:r", "invalid device specification: /dev/null:/dev/x:rw:r")]
    [InlineData("/dev/null:/dev/x:rr", "invalid device mode: rr")]
    [InlineData("/dev/null:/dev/x:rwmr", "invalid device mode: rwmr")]
    [InlineData(":/dev/x", "invalid device specification")]
    [InlineData("dev/null", "invalid device specification: dev/null")]
    public void Refuses_what_podman_refuses(string text, string message)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => DeviceRequest.Parse(text));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
        Assert.NotNull(e.Hint);
    }

    [Fact]
    public void Resolves_a_host_node_with_its_numbers_and_mode()
    {
        IReadOnlyList<ContainerDevice> devices = new HostDevices(rootless: false, keepsGroups: false).Resolve(["/dev/null:/dev/mynull:r"]);
        ContainerDevice device = Assert.Single(devices);
        Assert.Equal(new ContainerDevice("/dev/null", "/dev/mynull", "r", "c", 1, 3, 0x1b6, 0, 0), device);
    }

    [Fact]
    public void Refuses_a_missing_path_and_a_file_that_is_not_a_device()
    {
        var devices = new HostDevices(rootless: false, keepsGroups: false);
        SkiffException missing = Assert.Throws<SkiffException>(() => devices.Resolve(["/nonexistent-device"]));
        Assert.Equal("cannot add device /nonexistent-device: no such file or directory", missing.Message);
        SkiffException file = Assert.Throws<SkiffException>(() => devices.Resolve(["/etc/hostname"]));
        Assert.Equal("/etc/hostname is not a valid device: not a device node", file.Message);
        Assert.NotNull(file.Hint);
    }

    [Fact]
    public void A_directory_gives_every_node_under_it_at_the_container_path()
    {
        IReadOnlyList<ContainerDevice> devices = new HostDevices(rootless: false, keepsGroups: false).Resolve(["/dev/pts:/dev/hostpts:r"]);
        Assert.Contains(devices, d => d.PathOnHost == "/dev/pts/ptmx" && d.PathInContainer == "/dev/hostpts/ptmx" && d.Permissions == "r" && d.Type == "c");
        string empty = Directory.CreateTempSubdirectory("skiff-nodevices-").FullName;
        try
        {
            // A dangling link and a link to a device are not devices of the directory (podman's walk skips links).
            File.CreateSymbolicLink(Path.Combine(empty, "dangling"), "/nonexistent-device");
            File.CreateSymbolicLink(Path.Combine(empty, "null"), "/dev/null");
            SkiffException e = Assert.Throws<SkiffException>(() => new HostDevices(false, false).Resolve([empty]));
            Assert.Equal($"no devices found in {empty}", e.Message);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}

using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Spec;

namespace Skiff.Tests.Unit.Lifecycle;

/// <summary>--privileged's host devices: podman's walk of /dev and how the nodes reach the bundle.</summary>
public class PrivilegedDeviceTests
{
    private static ContainerConfig Config(params ContainerDevice[] devices) =>
        new() { Id = new string('a', 64), Name = "c", Created = DateTimeOffset.UnixEpoch, Image = "x", Runtime = "skiff", Privileged = true, Devices = devices };

    private static ContainerDevice Host(string path, long major, long minor, string type = "c") =>
        new(path, path, "rwm", type, major, minor, 0x180, 0, 0);

    [Fact]
    public void The_walk_of_the_hosts_dev_finds_its_nodes_with_their_numbers_and_leaves_out_what_podman_leaves_out()
    {
        IReadOnlyList<ContainerDevice> found = HostDeviceWalk.Under("/dev");
        ContainerDevice full = Assert.Single(found, d => d.PathInContainer == "/dev/full");
        Assert.Equal(("/dev/full", "c", 1L, 7L), (full.PathOnHost, full.Type, full.Major, full.Minor));
        Assert.Contains(found, d => d.PathInContainer == "/dev/net/tun" && d.Major == 10 && d.Minor == 200);
        // Not the console, nothing under pts, shm, fd or mqueue, no symbolic link (/dev/stdin, /dev/fd).
        Assert.DoesNotContain(found, d => d.PathInContainer == "/dev/console" || d.PathInContainer.StartsWith("/dev/pts/", StringComparison.Ordinal)
            || d.PathInContainer.StartsWith("/dev/shm/", StringComparison.Ordinal) || d.PathInContainer.StartsWith("/dev/fd", StringComparison.Ordinal)
            || d.PathInContainer == "/dev/stdin");
        Assert.All(found, d => Assert.True(d.Type is "c" or "b"));
    }

    [Fact]
    public void The_walk_is_relative_to_the_directory_given()
    {
        IReadOnlyList<ContainerDevice> found = HostDeviceWalk.Under("/dev/net/");
        ContainerDevice tun = Assert.Single(found);
        Assert.Equal(("/dev/net/tun", "/dev/tun"), (tun.PathOnHost, tun.PathInContainer));
    }

    [Fact]
    public void As_root_the_hosts_nodes_become_linux_devices_without_ptmx_and_a_device_flag_wins_at_its_path()
    {
        ContainerDevice mine = new("/dev/zero", "/dev/kmsg", "r", "c", 1, 5, 0x1b6, 0, 0);
        List<DeviceSpec>? nodes = ContainerDeviceSpecs.Nodes(Config(mine), inUserNamespace: false,
            [Host("/dev/kmsg", 1, 11), Host("/dev/ptmx", 5, 2), Host("/dev/loop0", 7, 0, "b")]);
        Assert.NotNull(nodes);
        Assert.Equal(["/dev/loop0 b 7:0 24960", "/dev/kmsg c 1:5 8630"], nodes.Select(n => $"{n.Path} {n.Type} {n.Major}:{n.Minor} {n.FileMode}"));
        Assert.Empty(ContainerDeviceSpecs.Binds(Config(mine), inUserNamespace: false, [Host("/dev/kmsg", 1, 11)], []));
    }

    [Fact]
    public void Without_privileged_devices_nothing_is_added()
    {
        ContainerConfig plain = Config() with { Privileged = false };
        Assert.Null(ContainerDeviceSpecs.Nodes(plain, inUserNamespace: false, []));
        Assert.Empty(ContainerDeviceSpecs.Binds(plain, inUserNamespace: true, [], ["/dev"]));
    }

    [Fact]
    public void In_a_user_namespace_the_hosts_nodes_are_bound_read_write_except_terminals_and_paths_already_mounted()
    {
        ContainerDevice mine = new("/dev/null", "/dev/kmsg", "r", "c", 1, 3, 0x1b6, 0, 0);
        ContainerConfig config = Config(mine);
        IReadOnlyList<ContainerDevice> host =
            [Host("/dev/kmsg", 1, 11), Host("/dev/ptmx", 5, 2), Host("/dev/tty0", 4, 0), Host("/dev/tty", 5, 0), Host("/dev/fuse", 10, 229), Host("/dev/cpu/0/cpuid", 203, 0)];
        Assert.Null(ContainerDeviceSpecs.Nodes(config, inUserNamespace: true, host));
        List<SpecMount> binds = [.. ContainerDeviceSpecs.Binds(config, inUserNamespace: true, host, ["/dev", "/dev/fuse"])];
        Assert.Equal(
            ["/dev/cpu/0/cpuid</dev/cpu/0/cpuid bind,nosuid,noexec,rw", "/dev/kmsg</dev/null bind,nosuid,noexec,ro"],
            binds.Select(m => $"{m.Destination}<{m.Source} {string.Join(',', m.Options ?? [])}"));
    }
}

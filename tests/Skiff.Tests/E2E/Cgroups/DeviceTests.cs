using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Cgroups;

/// <summary>
/// --device, --device-cgroup-rule and the per-device block IO limits on real containers. The devices cgroup is told
/// apart with a character device number no driver has (1:200): opening it is refused with EPERM by the cgroup, and
/// fails with ENXIO ("No such device or address") once the cgroup lets it through, so nothing real is read or written.
/// </summary>
[Trait("Category", "E2E")]
public sealed class DeviceTests(ITestOutputHelper output) : IDisposable
{
    private const string V1 = "/sys/fs/cgroup";

    private readonly string _dir = Directory.CreateTempSubdirectory("skiff-devices-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<SkiffCli> SkiffAsync(ITestOutputHelper output, bool rootless)
    {
        var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        return skiff;
    }

    /// <summary>A host node 1:200 (no driver), mode 0666, for --device without touching a real device.</summary>
    private async Task<string> FakeNodeAsync(SkiffCli skiff)
    {
        string node = Path.Combine(_dir, "fake");
        (await skiff.ExecAsync("mknod", "-m", "0666", node, "c", "1", "200")).AssertSuccess();
        File.SetUnixFileMode(_dir, (UnixFileMode)0x1ed);
        return node;
    }

    [Theory, RootAndRootless]
    public async Task Device_appears_at_the_container_path_with_the_hosts_numbers_and_inspect_shows_it(bool rootless)
    {
        using SkiffCli skiff = await SkiffAsync(output, rootless);
        ProcessResult run = (await skiff.RunAsync("run", "--name", "dev", "--device", "/dev/null:/dev/mynull:r", "--device", "/dev/zero", "busybox", "sh", "-c",
            "stat -c '%F %t:%T %a' /dev/mynull /dev/zero /dev/null; head -c 3 /dev/zero | wc -c; cat /dev/mynull && echo READ")).AssertSuccess();
        // The host nodes' mode 0666, as podman (mknod alone would have applied the umask).
        Assert.Equal(["character special file 1:3 666", "character special file 1:5 666", "character special file 1:3 666", "3", "READ"], run.StdoutLines);
        Assert.Equal(
            "/dev/null /dev/mynull r|/dev/zero /dev/zero rwm|",
            (await skiff.RunAsync("inspect", "--format", "{{range .HostConfig.Devices}}{{.PathOnHost}} {{.PathInContainer}} {{.CgroupPermissions}}|{{end}}", "dev")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("rm", "dev")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task A_device_that_is_missing_or_not_a_device_is_refused_and_nothing_is_stored(bool rootless)
    {
        using SkiffCli skiff = await SkiffAsync(output, rootless);
        ProcessResult missing = (await skiff.RunAsync("run", "--rm", "--device", "/dev/skiff-no-such-device", "busybox", "true")).AssertError(125, "cannot add device /dev/skiff-no-such-device: no such file or directory");
        Assert.Contains("Hint:", missing.Stderr);
        (await skiff.RunAsync("create", "--device", "/etc/hostname", "busybox", "true")).AssertError(125, "/etc/hostname is not a valid device: not a device node");
        (await skiff.RunAsync("create", "--device", "/dev/null:/dev/x:z", "busybox", "true")).AssertError(125, "invalid device mode: z");
        (await skiff.RunAsync("create", "--device-cgroup-rule", "x 1:3 rwm", "busybox", "true")).AssertError(125, "invalid device type in device-access-add: x");
        (await skiff.RunAsync("create", "--device-read-bps", "/dev/null", "busybox", "true")).AssertError(125, "bad format: /dev/null");
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }

    /// <summary>
    /// --privileged gives the host's device nodes, as podman: /dev/kmsg (1:11, a character device every Linux has) and
    /// /dev/loop0 (a block device, only looked at), neither in the default list. As root they are nodes the runtime
    /// made (a mount point rootless, where they are binds of the host's). /dev/console is not given (podman neither).
    /// </summary>
    [Theory, RootAndRootless]
    public async Task Privileged_gives_the_hosts_device_nodes_with_their_numbers_and_without_it_they_are_absent(bool rootless)
    {
        using SkiffCli skiff = await SkiffAsync(output, rootless);
        const string format = "%F %t:%T";
        string host = (await skiff.ExecAsync("stat", "-c", format, "/dev/kmsg", "/dev/loop0")).AssertSuccess().Stdout;
        Assert.Equal(["character special file 1:b", "block special file 7:0"], host.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        const string probe = "stat -c '" + format + "' /dev/kmsg /dev/loop0; test -e /dev/console || echo NO-CONSOLE; grep -c ' /dev/kmsg ' /proc/self/mountinfo; true";
        ProcessResult privileged = (await skiff.RunAsync("run", "--rm", "--privileged", "busybox", "sh", "-c", probe)).AssertSuccess();
        Assert.Equal([.. host.Split('\n', StringSplitOptions.RemoveEmptyEntries), "NO-CONSOLE", rootless ? "1" : "0"], privileged.StdoutLines);

        ProcessResult plain = await skiff.RunAsync("run", "--rm", "busybox", "sh", "-c", "test -e /dev/kmsg || echo NO-KMSG; test -e /dev/loop0 || echo NO-LOOP0");
        Assert.Equal(["NO-KMSG", "NO-LOOP0"], plain.AssertSuccess().StdoutLines);
        if (!rootless)
        {
            // The same bundle under runc (which, as skiff's runtime, makes /dev/ptmx the link to pts/ptmx itself).
            ProcessResult runc = (await skiff.RunAsync("run", "--rm", "--runtime", "runc", "--privileged", "busybox", "sh", "-c", "stat -c '" + format + "' /dev/kmsg; readlink /dev/ptmx")).AssertSuccess();
            Assert.Equal(["character special file 1:b", "pts/ptmx"], runc.StdoutLines);
        }
    }

    [Fact]
    public async Task Root_devices_cgroup_denies_what_the_container_was_not_given()
    {
        using SkiffCli skiff = await SkiffAsync(output, rootless: false);
        const string probe = "mknod /tmp/n c 1 200; cat /tmp/n 2>&1; echo x 2>&1 > /tmp/n";
        // Without --device the node the container makes (podman's default capabilities lack MKNOD) cannot be opened: the cgroup denies it.
        ProcessResult denied = await skiff.RunAsync("run", "--rm", "--cap-add", "MKNOD", "busybox", "sh", "-c", probe + "; cat /sys/fs/cgroup/devices/devices.list");
        Assert.Equal(2, denied.Stdout.Split("Operation not permitted").Length - 1 + denied.Stderr.Split("Operation not permitted").Length - 1);
        Assert.Equal(
            new[] { "b *:* m", "c *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm", "c 5:0 rwm", "c 5:2 rwm", "c 10:200 rwm", "c 136:* rwm" }.Order(StringComparer.Ordinal),
            denied.StdoutLines.Where(l => l.Length > 0 && l[1] == ' ').Order(StringComparer.Ordinal));

        // A rule for reading lets the read through to the (missing) driver; the write is still denied.
        ProcessResult read = await skiff.RunAsync("run", "--rm", "--cap-add", "MKNOD", "--device-cgroup-rule", "c 1:200 r", "busybox", "sh", "-c", probe);
        string both = read.Stdout + read.Stderr;
        Assert.Contains("No such device or address", both);
        Assert.Single(both.Split("Operation not permitted").Skip(1));

        // --device of a host node gives the container that node's numbers with the permissions asked.
        string node = await FakeNodeAsync(skiff);
        ProcessResult given = await skiff.RunAsync("run", "--rm", "--device", node + ":/dev/fake:w", "busybox", "sh", "-c", "cat /dev/fake 2>&1; echo x 2>&1 > /dev/fake");
        Assert.Contains("Operation not permitted", given.Stdout + given.Stderr);
        Assert.Contains("No such device or address", given.Stdout + given.Stderr);

        // --privileged allows every device.
        ProcessResult privileged = await skiff.RunAsync("run", "--rm", "--privileged", "busybox", "sh", "-c", probe + "; cat /sys/fs/cgroup/devices/devices.list");
        Assert.DoesNotContain("Operation not permitted", privileged.Stdout + privileged.Stderr);
        Assert.Contains("a *:* rwm", privileged.StdoutLines);
    }

    [Fact]
    public async Task Root_the_same_bundle_is_enforced_by_runc()
    {
        using SkiffCli skiff = await SkiffAsync(output, rootless: false);
        const string probe = "mknod /tmp/n c 1 200; cat /tmp/n 2>&1; true";
        ProcessResult denied = await skiff.RunAsync("run", "--rm", "--runtime", "runc", "--cap-add", "MKNOD", "busybox", "sh", "-c", probe);
        Assert.Contains("Operation not permitted", denied.Stdout + denied.Stderr);
        ProcessResult allowed = await skiff.RunAsync("run", "--rm", "--runtime", "runc", "--cap-add", "MKNOD", "--device-cgroup-rule", "c 1:* r", "busybox", "sh", "-c", probe);
        Assert.Contains("No such device or address", allowed.Stdout + allowed.Stderr);
    }

    [Fact]
    public async Task Rootless_device_binds_the_hosts_node_read_only_unless_w_and_refuses_one_the_user_cannot_open()
    {
        using SkiffCli skiff = await SkiffAsync(output, rootless: true);
        // Without w the bind is read-only, as podman's (which the kernel does not apply to opening a device node:
        // rootless, the host node's own permissions decide, see the README).
        ProcessResult readOnly = (await skiff.RunAsync("run", "--rm", "--device", "/dev/null:/dev/mynull:r", "busybox", "sh", "-c",
            "cat /dev/mynull && echo READ; grep ' /dev/mynull ' /proc/self/mountinfo | cut -d' ' -f6")).AssertSuccess();
        Assert.Equal("READ", readOnly.StdoutLines[0]);
        Assert.StartsWith("ro,", readOnly.StdoutLines[1], StringComparison.Ordinal);
        ProcessResult readWrite = (await skiff.RunAsync("run", "--rm", "--device", "/dev/null:/dev/mynull:rw", "busybox", "sh", "-c",
            "echo x > /dev/mynull && echo WROTE; grep ' /dev/mynull ' /proc/self/mountinfo | cut -d' ' -f6")).AssertSuccess();
        Assert.Equal("WROTE", readWrite.StdoutLines[0]);
        Assert.StartsWith("rw,", readWrite.StdoutLines[1], StringComparison.Ordinal);

        // /dev/loop-control is root's alone (0600): the container could not open it either.
        ProcessResult refused = await skiff.RunAsync("run", "--rm", "--device", "/dev/loop-control", "busybox", "true");
        refused.AssertError(125, "cannot add device /dev/loop-control: your user may not read and write it (mode 0600)");
        Assert.Contains("Hint:", refused.Stderr);
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }

    [Fact]
    public async Task Root_block_io_throttles_land_in_the_blkio_files_and_inspect()
    {
        using SkiffCli skiff = await SkiffAsync(output, rootless: false);
        (await skiff.RunAsync("run", "-d", "--name", "io", "--device-read-bps", "/dev/loop0:1mb", "--device-write-bps", "/dev/loop0:2mb",
            "--device-read-iops", "/dev/loop0:100", "--device-write-iops", "/dev/loop0:50", "busybox", "sleep", "1000")).AssertSuccess();
        string id = (await skiff.RunAsync("inspect", "--format", "{{.Id}}", "io")).AssertSuccess().Stdout.Trim();
        try
        {
            Assert.Equal("7:0 1048576", File.ReadAllText($"{V1}/blkio/skiff/{id}/blkio.throttle.read_bps_device").Trim());
            Assert.Equal("7:0 2097152", File.ReadAllText($"{V1}/blkio/skiff/{id}/blkio.throttle.write_bps_device").Trim());
            Assert.Equal("7:0 100", File.ReadAllText($"{V1}/blkio/skiff/{id}/blkio.throttle.read_iops_device").Trim());
            Assert.Equal("7:0 50", File.ReadAllText($"{V1}/blkio/skiff/{id}/blkio.throttle.write_iops_device").Trim());
            Assert.Equal(
                "/dev/loop0 1048576|/dev/loop0 2097152|/dev/loop0 100|/dev/loop0 50",
                (await skiff.RunAsync("inspect", "--format",
                    "{{range .HostConfig.BlkioDeviceReadBps}}{{.Path}} {{.Rate}}{{end}}|{{range .HostConfig.BlkioDeviceWriteBps}}{{.Path}} {{.Rate}}{{end}}|{{range .HostConfig.BlkioDeviceReadIOps}}{{.Path}} {{.Rate}}{{end}}|{{range .HostConfig.BlkioDeviceWriteIOps}}{{.Path}} {{.Rate}}{{end}}",
                    "io")).AssertSuccess().Stdout.Trim());
        }
        finally
        {
            (await skiff.RunAsync("rm", "-f", "io")).AssertSuccess();
        }

        // This kernel's blkio has no per-device weight file: refused before anything is stored.
        if (!File.Exists($"{V1}/blkio/blkio.weight_device") && !File.Exists($"{V1}/blkio/blkio.bfq.weight_device"))
        {
            (await skiff.RunAsync("run", "--rm", "--blkio-weight-device", "/dev/loop0:100", "busybox", "true")).AssertError(125, "cannot apply --blkio-weight-device");
        }

        (await skiff.RunAsync("run", "--rm", "--device-read-bps", "/dev/null:1mb", "busybox", "true")).AssertError(125, "bad format for device path: /dev/null:1mb");
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }

    /// <summary>update takes podman 4.3's per-device flags: live in the blkio files, recorded for inspect and the next start.</summary>
    [Fact]
    public async Task Root_update_changes_block_io_throttles_live_in_inspect_and_across_a_restart()
    {
        using SkiffCli skiff = await SkiffAsync(output, rootless: false);
        (await skiff.RunAsync("run", "-d", "--name", "ioup", "--device-read-bps", "/dev/loop0:1mb", "--device-write-bps", "/dev/loop0:2mb", "busybox", "sleep", "1000")).AssertSuccess();
        string id = (await skiff.RunAsync("inspect", "--format", "{{.Id}}", "ioup")).AssertSuccess().Stdout.Trim();
        string File(string name) => System.IO.File.ReadAllText($"{V1}/blkio/skiff/{id}/blkio.throttle.{name}").Trim();
        async Task<string> InspectAsync() => (await skiff.RunAsync("inspect", "--format",
            "{{range .HostConfig.BlkioDeviceReadBps}}{{.Path}} {{.Rate}}{{end}}|{{range .HostConfig.BlkioDeviceWriteBps}}{{.Path}} {{.Rate}}{{end}}|{{range .HostConfig.BlkioDeviceReadIOps}}{{.Path}} {{.Rate}}{{end}}|{{range .HostConfig.BlkioDeviceWriteIOps}}{{.Path}} {{.Rate}}{{end}}",
            "ioup")).AssertSuccess().Stdout.Trim();
        try
        {
            Assert.Equal("7:0 1048576", File("read_bps_device"));
            (await skiff.RunAsync("update", "--device-read-bps", "/dev/loop0:3mb", "--device-read-iops", "/dev/loop0:70", "--device-write-iops", "/dev/loop0:40", "ioup")).AssertSuccess();
            Assert.Equal(("7:0 3145728", "7:0 2097152", "7:0 70", "7:0 40"), (File("read_bps_device"), File("write_bps_device"), File("read_iops_device"), File("write_iops_device")));
            Assert.Equal("/dev/loop0 3145728|/dev/loop0 2097152|/dev/loop0 70|/dev/loop0 40", await InspectAsync());

            // 0 lifts a limit (the device's line goes from the file, as with podman's runtime) and the others stay.
            (await skiff.RunAsync("update", "--device-write-bps", "/dev/loop0:0", "--device-read-iops", "/dev/loop0:0", "ioup")).AssertSuccess();
            Assert.Equal(("7:0 3145728", "", "", "7:0 40"), (File("read_bps_device"), File("write_bps_device"), File("read_iops_device"), File("write_iops_device")));
            Assert.Equal("/dev/loop0 3145728|||/dev/loop0 40", await InspectAsync());

            // Bad values are refused with podman's messages and change nothing.
            (await skiff.RunAsync("update", "--device-read-bps", "/dev/loop0", "ioup")).AssertError(125, "bad format: /dev/loop0");
            (await skiff.RunAsync("update", "--device-read-bps", "/dev/null:1mb", "ioup")).AssertError(125, "bad format for device path: /dev/null:1mb");
            (await skiff.RunAsync("update", "--device-write-iops", "/dev/loop0:x", "ioup")).AssertError(125,
                "invalid rate for device: /dev/loop0:x. The correct format is <device-path>:<number>. Number must be a positive integer");
            (await skiff.RunAsync("update", "--device-read-bps", "/dev/loop0:-1", "ioup")).AssertError(125, "invalid rate for device: /dev/loop0:-1");
            Assert.Equal("7:0 3145728", File("read_bps_device"));

            // Restarted, the container gets the updated limits.
            (await skiff.RunAsync("restart", "-t", "0", "ioup")).AssertSuccess();
            Assert.Equal(("7:0 3145728", "", "", "7:0 40"), (File("read_bps_device"), File("write_bps_device"), File("read_iops_device"), File("write_iops_device")));
            Assert.Equal("/dev/loop0 3145728|||/dev/loop0 40", await InspectAsync());
        }
        finally
        {
            (await skiff.RunAsync("rm", "-f", "ioup")).AssertSuccess();
        }
    }

    [Fact]
    public async Task Rootless_update_of_block_io_throttles_is_refused_as_update_of_other_limits()
    {
        using SkiffCli skiff = await SkiffAsync(output, rootless: true);
        (await skiff.RunAsync("run", "-d", "--name", "ioup", "busybox", "sleep", "1000")).AssertSuccess();
        try
        {
            ProcessResult refused = await skiff.RunAsync("update", "--device-read-bps", "/dev/loop0:1mb", "ioup");
            ProcessResult memory = await skiff.RunAsync("update", "--memory", "64m", "ioup");
            Assert.Equal(memory.ExitCode, refused.ExitCode);
            Assert.Equal(memory.Stderr, refused.Stderr);
            refused.AssertError(125, "cannot update container \"ioup\"");
        }
        finally
        {
            (await skiff.RunAsync("rm", "-f", "ioup")).AssertSuccess();
        }
    }

    [Fact]
    public async Task Rootless_block_io_throttles_are_refused_with_the_reason()
    {
        using SkiffCli skiff = await SkiffAsync(output, rootless: true);
        ProcessResult refused = await skiff.RunAsync("run", "--rm", "--device-read-bps", "/dev/loop0:1mb", "busybox", "true");
        refused.AssertError(125, "cannot apply --device-read-bps");
        Assert.Contains("Hint:", refused.Stderr);
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }
}

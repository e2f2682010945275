using Xunit.Abstractions;
using Skiff.Tests.Support;

namespace Skiff.Tests.E2E.Containers;

/// <summary>Containers from stored images: the snapshot is the root, writes stay in the container's layer, cleanup is complete.</summary>
[Trait("Category", "E2E")]
public sealed class ImageContainerTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Runs_an_imported_image_and_keeps_the_image_unchanged(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");

        ProcessResult written = (await skiff.RunAsync("run", "--rm", "busybox", "sh", "-c", "echo hi > /written && cat /written && id -u")).AssertSuccess();
        Assert.Equal("hi\n0\n", written.Stdout);
        (await skiff.RunAsync("run", "--rm", "busybox", "test", "-e", "/written")).AssertExitCode(1);

        (await skiff.RunAsync("run", "--rm", "busybox", "sh", "-c", "exit 5")).AssertExitCode(5);
        (await skiff.RunAsync("run", "--rm", "busybox", "no-such-command")).AssertError(127, "not found");
        (await skiff.RunAsync("run", "--rm", "--runtime", "skiff", "busybox", "sh", "-c", "echo built-in; exit 6")).AssertExitCode(6);
        (await skiff.RunAsync("run", "--rm", "--pull", "never", "no-such-image")).AssertError(125, "image not known");
        (await skiff.RunAsync("run", "--rm", "127.0.0.1:1/no-such-image")).AssertExitCode(125);
    }

    [Theory, RootAndRootless]
    public async Task Detached_image_container_logs_and_is_removed_without_leftovers(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        (await skiff.RunAsync("run", "-d", "--name", "web", "busybox", "sh", "-c", "echo started; exec sleep 1000")).AssertSuccess();

        string logs = string.Empty;
        for (int attempt = 0; attempt < 100 && !logs.Contains("started", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(100);
            logs = (await skiff.RunAsync("logs", "web")).AssertSuccess().Stdout;
        }

        Assert.Equal("started\n", logs);
        Assert.Contains("busybox", (await skiff.RunAsync("ps")).AssertSuccess().Stdout);
        // As podman-rmi(1): exit 2 when a container uses the image.
        (await skiff.RunAsync("rmi", "busybox")).AssertError(2, "is in use by container web");

        (await skiff.RunAsync("rm", "-f", "web")).AssertSuccess();
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
        string snapshots = Path.Combine(skiff.Sandbox.StorageRoot, "containers", ".snapshots");
        Assert.True(!Directory.Exists(snapshots) || !Directory.EnumerateFileSystemEntries(snapshots).Any(), "container snapshots left behind");
        Assert.DoesNotContain(skiff.Sandbox.StorageRoot, File.ReadAllText("/proc/self/mountinfo"));
    }

    [Theory, RootAndRootless]
    public async Task Refused_runs_exit_125_and_leave_no_container_or_snapshot_behind(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        (await skiff.RunAsync("create", "--name", "taken", "busybox", "true")).AssertSuccess();

        // An imported image has no CMD: as podman and docker, a command is required.
        (await skiff.RunAsync("run", "--rm", "busybox")).AssertError(125, "no command or entrypoint provided");
        (await skiff.RunAsync("create", "--entrypoint", "", "busybox")).AssertError(125, "no command or entrypoint provided");
        (await skiff.RunAsync("run", "--rm", "--stop-signal", "BOGUS", "busybox", "true")).AssertError(125, "BOGUS");
        (await skiff.RunAsync("run", "--rm", "--name", "taken", "busybox", "true")).AssertError(125, "already in use");

        Assert.Single((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
        (await skiff.RunAsync("rm", "taken")).AssertSuccess();
        string snapshots = Path.Combine(skiff.Sandbox.StorageRoot, "containers", ".snapshots");
        Assert.True(!Directory.Exists(snapshots) || !Directory.EnumerateFileSystemEntries(snapshots).Any(), "snapshots of refused containers left behind");
    }

    [Theory, RootAndRootless]
    public async Task Sysctls_from_flags_and_podmans_ping_default_reach_the_container(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        const string Probe = "cat /proc/sys/net/ipv4/ping_group_range /proc/sys/kernel/shmmax";

        // podman's default_sysctls: every group may open ICMP echo sockets in the container's network namespace.
        Assert.Equal("0\t0\n", (await skiff.RunAsync("run", "--rm", "--network", "none", "busybox", "cat", "/proc/sys/net/ipv4/ping_group_range")).AssertSuccess().Stdout);
        foreach (string runtime in new[] { "skiff", "runc" })
        {
            ProcessResult set = (await skiff.RunAsync("run", "--rm", "--runtime", runtime, "--network", "none", "--sysctl", "net.ipv4.ping_group_range=0 5", "--sysctl", "kernel.shmmax=65536", "busybox", "sh", "-c", Probe)).AssertSuccess();
            Assert.Equal("0\t5\n65536\n", set.Stdout);
        }

        (await skiff.RunAsync("create", "--name", "sys", "--sysctl", "net.core.somaxconn=100", "busybox", "true")).AssertSuccess();
        Assert.Equal("{\"net.core.somaxconn\":\"100\"}\n", (await skiff.RunAsync("inspect", "--format", "{{json .HostConfig.Sysctls}}", "sys")).AssertSuccess().Stdout);
        (await skiff.RunAsync("run", "--rm", "--sysctl", "vm.swappiness=1", "busybox", "true")).AssertError(125, "is not allowed");
        (await skiff.RunAsync("run", "--rm", "--network", "host", "--sysctl", "net.ipv4.ip_forward=1", "busybox", "true")).AssertError(125, "--network host");
        (await skiff.RunAsync("rm", "sys")).AssertSuccess();
    }
}

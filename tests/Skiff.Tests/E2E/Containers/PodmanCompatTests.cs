using System.Text.RegularExpressions;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// Small behaviours matched to podman 4.3 as it runs on this machine (expected values were taken from podman
/// itself, as root and rootless): generated /etc/passwd entries, unknown users at start, exec into a stopped
/// container, and inspect's image name, stop signal, port addresses and times.
/// </summary>
[Trait("Category", "E2E")]
public sealed class PodmanCompatTests(ITestOutputHelper output)
{
    private const string Probe = "id; echo HOME=$HOME; tail -1 /etc/passwd; tail -1 /etc/group";

    [Theory, RootAndRootless]
    public async Task Numeric_users_get_podmans_passwd_and_group_entries(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");

        Assert.Equal(
            "uid=2000(2000) gid=0(root) groups=0(root)\nHOME=/\n2000:*:2000:0:container user:/:/bin/sh\n2000:x:2000:2000\n",
            (await skiff.RunAsync("run", "--rm", "--network", "none", "-u", "2000", "busybox", "sh", "-c", Probe)).AssertSuccess().Stdout);
        // The entry's home is the working directory; a read-only root gets the same copies.
        Assert.Equal(
            "uid=2000(2000) gid=3000(3000) groups=3000(3000)\nHOME=/etc\n2000:*:2000:3000:container user:/etc:/bin/sh\n3000:x:3000:2000\n",
            (await skiff.RunAsync("run", "--rm", "--network", "none", "--read-only", "-w", "/etc", "-u", "2000:3000", "busybox", "sh", "-c", Probe)).AssertSuccess().Stdout);
        Assert.Equal(
            "uid=2000(2000) gid=65534(nogroup) groups=65534(nogroup)\nHOME=/\n2000:*:2000:65534:container user:/:/bin/sh\nnogroup:x:65534:\n",
            (await skiff.RunAsync("run", "--rm", "--network", "none", "-u", "2000:nogroup", "busybox", "sh", "-c", Probe)).AssertSuccess().Stdout);
        Assert.Equal(
            "X2000:2000:0:/:container user\n",
            (await skiff.RunAsync("run", "--rm", "--network", "none", "-u", "2000", "--passwd-entry", "X$USERNAME:$UID:$GID:$HOME:$NAME", "busybox", "tail", "-1", "/etc/passwd")).AssertSuccess().Stdout);

        // --passwd=false and users the image has leave the image's files as they are.
        string imageFiles = "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\nnogroup:x:65534:\n";
        Assert.Equal(
            "uid=2000 gid=0(root) groups=0(root)\nHOME=/\n" + imageFiles,
            (await skiff.RunAsync("run", "--rm", "--network", "none", "-u", "2000", "--passwd=false", "busybox", "sh", "-c", Probe)).AssertSuccess().Stdout);
        Assert.Equal(
            "uid=1000(app) gid=1000(app) groups=1000(app)\nHOME=/home/app\n" + imageFiles,
            (await skiff.RunAsync("run", "--rm", "--network", "none", "-u", "1000", "busybox", "sh", "-c", Probe)).AssertSuccess().Stdout);

        // The copies live in the container's directory, not in its layer: a restart writes the same ones.
        Assert.Equal("1\n", (await skiff.RunAsync("run", "--name", "twice", "--network", "none", "-u", "2000", "busybox", "sh", "-c", "grep -c ^2000: /etc/passwd")).AssertSuccess().Stdout);
        Assert.Equal("1\n", (await skiff.RunAsync("start", "-a", "twice")).AssertSuccess().Stdout);
        (await skiff.RunAsync("rm", "twice")).AssertSuccess();
        Assert.Equal(imageFiles, (await skiff.RunAsync("run", "--rm", "--network", "none", "busybox", "sh", "-c", "tail -1 /etc/passwd; tail -1 /etc/group")).AssertSuccess().Stdout);
    }

    [Theory, RootAndRootless]
    public async Task An_unknown_user_fails_the_start_not_the_create(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");

        (await skiff.RunAsync("run", "--name", "ran", "--network", "none", "-u", "nosuch", "busybox", "true"))
            .AssertError(126, "unable to find user nosuch: no matching entries in passwd file");
        Assert.Equal("Created\n", (await skiff.RunAsync("ps", "-a", "--filter", "name=ran", "--format", "{{.Status}}")).AssertSuccess().Stdout);
        (await skiff.RunAsync("run", "--rm", "--network", "none", "-u", "2000:nosuchg", "busybox", "true"))
            .AssertError(126, "unable to find group nosuchg: no matching entries in group file");

        string id = (await skiff.RunAsync("create", "--name", "made", "--network", "none", "-u", "nosuch", "busybox", "true")).AssertSuccess().Stdout.Trim();
        (await skiff.RunAsync("start", "made")).AssertError(125, $"unable to start container \"{id}\": unable to find user nosuch: no matching entries in passwd file");
        (await skiff.RunAsync("start", "-a", "made")).AssertError(125, $"unable to start container {id}: unable to find user nosuch");
        Assert.Equal("created\n", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}}", "made")).AssertSuccess().Stdout);
        (await skiff.RunAsync("rm", "ran", "made")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Exec_into_a_stopped_container_exits_255(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        (await skiff.RunAsync("create", "--name", "idle", "--network", "none", "busybox", "sleep", "1000")).AssertSuccess();

        const string improper = "can only create exec sessions on running containers: container state improper";
        (await skiff.RunAsync("exec", "idle", "true")).AssertError(255, improper);
        (await skiff.RunAsync("exec", "-d", "idle", "true")).AssertError(125, improper);

        (await skiff.RunAsync("start", "idle")).AssertSuccess();
        (await skiff.RunAsync("exec", "-u", "nosuch", "idle", "true")).AssertError(255, "unable to find user nosuch");
        (await skiff.RunAsync("rm", "-f", "-t", "0", "idle")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Inspect_prints_podmans_image_name_signal_ports_and_times(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string imageId = (await skiff.RunAsync("images", "-q", "busybox")).AssertSuccess().Stdout.Trim();
        (await skiff.RunAsync("create", "--name", "ports", "-p", "18080:80", "-p", "127.0.0.1:18081:81", "busybox", "true")).AssertSuccess();
        (await skiff.RunAsync("create", "--name", "byid", "--network", "none", "--stop-signal", "SIGKILL", imageId, "true")).AssertSuccess();

        Assert.Equal(
            "localhost/busybox:latest|localhost/busybox:latest|15|{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"18080\"}],\"81/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"18081\"}]}\n",
            (await skiff.RunAsync("inspect", "--format", "{{.Config.Image}}|{{.ImageName}}|{{.Config.StopSignal}}|{{json .NetworkSettings.Ports}}", "ports")).AssertSuccess().Stdout);
        Assert.Equal("localhost/busybox:latest 9\n", (await skiff.RunAsync("inspect", "--format", "{{.Config.Image}} {{.Config.StopSignal}}", "byid")).AssertSuccess().Stdout);
        Assert.Contains("\"StopSignal\": 9,", (await skiff.RunAsync("inspect", "byid")).AssertSuccess().Stdout);
        Assert.Equal("localhost/busybox:latest\nlocalhost/busybox:latest\n", (await skiff.RunAsync("ps", "-a", "--filter", "ancestor=busybox", "--format", "{{.Image}}")).AssertSuccess().Stdout);

        // Go's time.Time String() in templates, RFC 3339 in JSON.
        string times = (await skiff.RunAsync("inspect", "--format", "{{.Created}}|{{.State.StartedAt}}|{{json .Created}}", "byid")).AssertSuccess().Stdout;
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC\|0001-01-01 00:00:00 \+0000 UTC\|""\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z""\n$"), times);
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC\n$"), (await skiff.RunAsync("ps", "-a", "--filter", "name=byid", "--format", "{{.CreatedAt}}")).AssertSuccess().Stdout);
        (await skiff.RunAsync("rm", "ports", "byid")).AssertSuccess();
    }
}

using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// podman 4.3's run/create flags that skiff lacked: --read-only-tmpfs, --image-volume and --env-merge, checked against
/// what podman does on this machine. Root and rootless.
/// </summary>
[Trait("Category", "E2E")]
public sealed class RunFlagParityTests(ITestOutputHelper output)
{
    private const string TmpfsMounts = "echo $(grep -E ' /(run|tmp|var/tmp) tmpfs ' /proc/mounts | cut -d' ' -f2 | sort)";

    [Theory, RootAndRootless]
    public async Task Read_only_gets_writable_tmpfs_on_run_tmp_and_var_tmp_unless_read_only_tmpfs_is_false(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await skiff.ImportBusyboxAsync();

        ProcessResult tmpfs = await skiff.RunAsync("run", "--rm", "--network", "none", "--read-only", image, "sh", "-c", $"{TmpfsMounts}; touch /tmp/x /run/x /var/tmp/x && echo writable; touch /etc/x 2>/dev/null || echo read-only");
        Assert.Equal("/run /tmp /var/tmp\nwritable\nread-only\n", tmpfs.AssertSuccess().Stdout);

        ProcessResult none = await skiff.RunAsync("run", "--rm", "--network", "none", "--read-only", "--read-only-tmpfs=false", image, "sh", "-c", $"{TmpfsMounts}; touch /tmp/x 2>/dev/null || echo read-only");
        Assert.Equal("\nread-only\n", none.AssertSuccess().Stdout);

        // Without --read-only the flag adds nothing; a mount of the user's own on /tmp wins.
        ProcessResult writable = await skiff.RunAsync("run", "--rm", "--network", "none", image, "sh", "-c", TmpfsMounts);
        Assert.Equal("\n", writable.AssertSuccess().Stdout);
        (await skiff.RunAsync("create", "--name", "ro", "--read-only", "--tmpfs", "/tmp:size=1m", image, "true")).AssertSuccess();
        ProcessResult inspect = await skiff.RunAsync("inspect", "--format", "{{json .HostConfig.Tmpfs}} {{.HostConfig.ReadonlyRootfs}}", "ro");
        Assert.Equal("{\"/run\":\"rw,rprivate,nosuid,nodev,tmpcopyup\",\"/tmp\":\"size=1m,rw,rprivate,nosuid,nodev,tmpcopyup\",\"/var/tmp\":\"rw,rprivate,nosuid,nodev,tmpcopyup\"} true\n", inspect.AssertSuccess().Stdout);
    }

    [Theory, RootAndRootless]
    public async Task Image_volume_chooses_how_the_images_volumes_are_mounted(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string tar = Path.Combine(skiff.Sandbox.Work, "rootfs.tar");
        TestImages.WriteBusyboxRootfsTar(tar);
        (await skiff.RunAsync("import", "--change", "VOLUME /etc", tar, "withvol")).AssertSuccess();
        const string Probe = "echo $(grep ' /etc ' /proc/mounts | cut -d' ' -f3); head -1 /etc/group";
        string[] run = ["run", "--rm", "--network", "none"];

        // bind (the default): a new anonymous volume, filled from the image.
        ProcessResult bind = await skiff.RunAsync([.. run, "--image-volume", "bind", "withvol", "sh", "-c", Probe]);
        Assert.NotEqual("tmpfs", bind.AssertSuccess().StdoutLines.First());
        Assert.Equal("root:x:0:", bind.StdoutLines.Last());
        Assert.Empty((await skiff.RunAsync("volume", "ls", "-q")).AssertSuccess().StdoutLines);

        ProcessResult tmpfs = await skiff.RunAsync([.. run, "--image-volume", "tmpfs", "withvol", "sh", "-c", Probe]);
        Assert.Equal("tmpfs\nroot:x:0:\n", tmpfs.AssertSuccess().Stdout);

        ProcessResult ignore = await skiff.RunAsync([.. run, "--image-volume", "ignore", "withvol", "sh", "-c", Probe]);
        Assert.Equal("\nroot:x:0:\n", ignore.AssertSuccess().Stdout);
        Assert.Empty((await skiff.RunAsync("volume", "ls", "-q")).AssertSuccess().StdoutLines);

        (await skiff.RunAsync([.. run, "--image-volume", "bogus", "withvol", "true"])).AssertError(125, "invalid image volume mode \"bogus\" required value: bind, tmpfs, ignore");
    }

    [Theory, RootAndRootless]
    public async Task Env_merge_rewrites_the_images_variables(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string tar = Path.Combine(skiff.Sandbox.Work, "rootfs.tar");
        TestImages.WriteBusyboxRootfsTar(tar);
        (await skiff.RunAsync("import", "--change", "ENV hello=world", "--change", "ENV PATH=/bin:/usr/bin", tar, "withenv")).AssertSuccess();

        // As podman 4.3: ${VAR} and $VAR are the image's; only a variable the image has is changed; -e wins over it.
        ProcessResult merged = await skiff.RunAsync("run", "--rm", "--network", "none", "--env-merge", "hello=${hello}-some", "--env-merge", "PATH=/x:$PATH",
            "--env-merge", "new=${hello}", "withenv", "sh", "-c", "echo \"$hello|$PATH|${new-unset}\"");
        Assert.Equal("world-some|/x:/bin:/usr/bin|unset\n", merged.AssertSuccess().Stdout);

        ProcessResult flag = await skiff.RunAsync("run", "--rm", "--network", "none", "-e", "hello=flag", "--env-merge", "hello=${hello}-m", "withenv", "sh", "-c", "echo $hello");
        Assert.Equal("flag\n", flag.AssertSuccess().Stdout);
    }

    [Theory, RootAndRootless]
    public async Task Personality_linux32_changes_what_uname_reports(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await skiff.ImportBusyboxAsync();
        string host = (await skiff.ExecAsync("uname", "-m")).AssertSuccess().Stdout;

        string linux = (await skiff.RunAsync("run", "--rm", "--network", "none", "--personality", "LINUX", image, "uname", "-m")).AssertSuccess().Stdout;
        Assert.Equal(host, linux);
        string linux32 = (await skiff.RunAsync("run", "--rm", "--network", "none", "--personality", "LINUX32", image, "uname", "-m")).AssertSuccess().Stdout;
        Assert.Equal(host == "x86_64\n" ? "i686\n" : "armv8l\n", linux32);
        (await skiff.RunAsync("create", "--personality", "BOGUS", image, "true")).AssertError(125, "invalid --personality \"BOGUS\"");
    }

    [Theory, RootAndRootless]
    public async Task Hostuser_adds_the_hosts_account_and_disable_content_trust_is_accepted(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await skiff.ImportBusyboxAsync();
        string[] account = File.ReadAllLines("/etc/passwd").Select(l => l.Split(':')).First(f => f[0] == "skifftest");

        // As podman: NAME:*:UID:GID:GECOS:HOME:/bin/sh, HOME the host's since the image has /home; root is the image's already.
        ProcessResult added = await skiff.RunAsync("run", "--rm", "--network", "none", "--disable-content-trust", "--hostuser", "skifftest", "--hostuser", "0", image, "sh", "-c", "grep -c '^root:' /etc/passwd; grep '^skifftest:' /etc/passwd");
        Assert.Equal($"1\nskifftest:*:{account[2]}:{account[3]}:{account[4]}:{account[5]}:/bin/sh\n", added.AssertSuccess().Stdout);

        (await skiff.RunAsync("create", "--hostuser", "no-such-user-here", image, "true")).AssertError(125, "unknown user no-such-user-here");
    }

    [Theory, RootAndRootless]
    public async Task Conmon_pidfile_gets_the_monitors_pid(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await skiff.ImportBusyboxAsync();
        string file = Path.Combine(skiff.Sandbox.Work, "monitor.pid");

        string id = (await skiff.RunAsync("run", "-d", "--network", "none", "--conmon-pidfile", file, image, "sleep", "1000")).AssertSuccess().Stdout.Trim();
        string pid = File.ReadAllText(file);
        ProcessResult inspect = await skiff.RunAsync("inspect", "--format", "{{.State.ConmonPid}} {{.ConmonPidFile}}", id);
        Assert.Equal($"{pid} {file}\n", inspect.AssertSuccess().Stdout);
        (await skiff.RunAsync("rm", "-f", "-t", "0", id)).AssertSuccess();

        // As podman: the file stays after the container; a directory that does not exist is refused at create.
        Assert.True(File.Exists(file));
        (await skiff.RunAsync("create", "--conmon-pidfile", "/no/such/dir/monitor.pid", image, "true")).AssertError(125, "--conmon-pidfile /no/such/dir/monitor.pid: directory /no/such/dir does not exist");
    }
}

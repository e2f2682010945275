using System.Globalization;
using System.Text.Json;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// podman's run/create flags for the container's process and metadata: --unsetenv(-all), --annotation, --pidfile,
/// --shm-size, --tz, --umask, --oom-score-adj; each probed from inside the container, as root and rootless.
/// </summary>
[Trait("Category", "E2E")]
public sealed class ProcessFlagsTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Unsetenv_drops_default_variables_but_not_the_users(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string tar = Path.Combine(skiff.Sandbox.Work, "rootfs.tar");
        TestImages.WriteBusyboxRootfsTar(tar);
        (await skiff.RunAsync("import", "--change", "ENV FOO=image", "--change", "ENV KEEP=1", tar, "envimage")).AssertSuccess();

        Assert.Contains("container=podman", await EnvAsync(skiff));
        List<string> env = await EnvAsync(skiff, "--unsetenv", "FOO", "--unsetenv", "PATH", "--unsetenv", "container");
        Assert.DoesNotContain(env, v => v.StartsWith("FOO=", StringComparison.Ordinal) || v.StartsWith("PATH=", StringComparison.Ordinal) || v.StartsWith("container=", StringComparison.Ordinal));
        Assert.Contains("KEEP=1", env);
        Assert.Contains(env, v => v.StartsWith("HOSTNAME=", StringComparison.Ordinal));

        // podman: the user's own variables stay, whatever is unset.
        env = await EnvAsync(skiff, "--unsetenv-all", "-e", "X=1", "-e", "FOO=mine", "--unsetenv", "FOO");
        Assert.DoesNotContain(env, v => v.StartsWith("PATH=", StringComparison.Ordinal) || v.StartsWith("KEEP=", StringComparison.Ordinal));
        Assert.Contains("X=1", env);
        Assert.Contains("FOO=mine", env);

        (await skiff.RunAsync("create", "--name", "c", "--unsetenv-all", "-t", "envimage", "/bin/env")).AssertSuccess();
        string shown = (await skiff.RunAsync("inspect", "--format", "{{json .Config.Env}}", "c")).AssertSuccess().Stdout;
        Assert.DoesNotContain("PATH=", shown);
        Assert.DoesNotContain("TERM=", shown);
        Assert.DoesNotContain("KEEP=", shown);
    }

    private static async Task<List<string>> EnvAsync(SkiffCli skiff, params string[] flags) =>
        [.. (await skiff.RunAsync(["run", "--rm", "--network", "none", .. flags, "envimage", "/bin/env"])).AssertSuccess().StdoutLines];

    [Theory, RootAndRootless]
    public async Task Annotations_reach_the_bundle_and_inspect(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string id = (await skiff.RunAsync("create", "--annotation", "com.example.a=b=c", "--annotation", "k=v", "--annotation", "k=w", "busybox", "true")).AssertSuccess().Stdout.Trim();

        using (JsonDocument shown = JsonDocument.Parse((await skiff.RunAsync("inspect", "--format", "{{json .Config.Annotations}}", id)).AssertSuccess().Stdout))
        {
            Assert.Equal("b=c", shown.RootElement.GetProperty("com.example.a").GetString());
            Assert.Equal("w", shown.RootElement.GetProperty("k").GetString());
        }

        using (JsonDocument bundle = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(skiff.Sandbox.StorageRoot, "containers", id, "bundle", "config.json"))))
        {
            JsonElement annotations = bundle.RootElement.GetProperty("annotations");
            Assert.Equal("b=c", annotations.GetProperty("com.example.a").GetString());
            Assert.Equal("w", annotations.GetProperty("k").GetString());
        }

        (await skiff.RunAsync("create", "--annotation", "bare", "busybox", "true")).AssertError(125, "annotations must be formatted KEY=VALUE");
    }

    [Theory, RootAndRootless]
    public async Task Pidfile_holds_the_containers_pid_until_it_is_removed(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string file = Path.Combine(skiff.Sandbox.Work, "c.pid");

        (await skiff.RunAsync("run", "-d", "--name", "p", "--network", "none", "--pidfile", file, "busybox", "sleep", "300")).AssertSuccess();
        string pid = (await skiff.RunAsync("inspect", "--format", "{{.State.Pid}}", "p")).AssertSuccess().Stdout.Trim();
        Assert.Equal(pid, await File.ReadAllTextAsync(file));
        Assert.StartsWith("sleep", await File.ReadAllTextAsync($"/proc/{pid}/cmdline"));
        Assert.Equal(file, (await skiff.RunAsync("inspect", "--format", "{{.PidFile}}", "p")).AssertSuccess().Stdout.Trim());

        (await skiff.RunAsync("rm", "-f", "p")).AssertSuccess();
        Assert.False(File.Exists(file));

        // --rm removes it with the container too.
        (await skiff.RunAsync("run", "--rm", "--network", "none", "--pidfile", file, "busybox", "true")).AssertSuccess();
        Assert.False(File.Exists(file));

        (await skiff.RunAsync("create", "--pidfile", Path.Combine(skiff.Sandbox.Work, "missing", "x.pid"), "busybox", "true")).AssertError(125, "does not exist");
    }

    [Theory, RootAndRootless]
    public async Task Shm_size_sizes_dev_shm(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        Assert.Contains("size=10240k", await ShmMountAsync(skiff, "--shm-size", "10m"));
        Assert.Contains("size=65536k", await ShmMountAsync(skiff));

        (await skiff.RunAsync("create", "--name", "s", "--shm-size", "1g", "busybox", "true")).AssertSuccess();
        Assert.Equal("1073741824", (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.ShmSize}}", "s")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("create", "--shm-size", "10x", "busybox", "true")).AssertError(125, "invalid size for --shm-size: '10x'");
        (await skiff.RunAsync("create", "--ipc", "host", "--shm-size", "1m", "busybox", "true")).AssertError(125, "cannot set shmsize when running in the {host } IPC Namespace");
        (await skiff.RunAsync("create", "--ipc", "none", "--shm-size", "1m", "busybox", "true")).AssertError(125, "cannot set shmsize when running in the {none } IPC Namespace");
        Assert.Contains("size=1024k", await ShmMountAsync(skiff, "--ipc", "private", "--shm-size", "1m"));
    }

    private static async Task<string> ShmMountAsync(SkiffCli skiff, params string[] flags) =>
        (await skiff.RunAsync(["run", "--rm", "--network", "none", .. flags, "busybox", "grep", " /dev/shm ", "/proc/mounts"])).AssertSuccess().Stdout;

    [Theory, RootAndRootless]
    public async Task Tz_binds_the_zone_at_etc_localtime(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        Assert.Equal("JST", (await skiff.RunAsync("run", "--rm", "--network", "none", "--tz", "Asia/Tokyo", "busybox", "date", "+%Z")).AssertSuccess().Stdout.Trim());
        string hostZone = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(await File.ReadAllBytesAsync("/etc/localtime")));
        string local = (await skiff.RunAsync("run", "--rm", "--network", "none", "--tz", "local", "busybox", "md5sum", "/etc/localtime")).AssertSuccess().Stdout;
        Assert.StartsWith(hostZone, local);

        (await skiff.RunAsync("create", "--name", "t", "--tz", "Europe/Paris", "busybox", "true")).AssertSuccess();
        Assert.Equal("Europe/Paris", (await skiff.RunAsync("inspect", "--format", "{{.Config.Timezone}}", "t")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("create", "--tz", "Foo/Bar", "busybox", "true")).AssertError(125, "stat /usr/share/zoneinfo/Foo/Bar: no such file or directory");
        (await skiff.RunAsync("create", "--tz", "../../etc/passwd", "busybox", "true")).AssertError(125, "invalid timezone");
    }

    [Theory, RootAndRootless]
    public async Task Umask_sets_the_process_umask(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        Assert.Contains("Umask:\t0077", (await skiff.RunAsync("run", "--rm", "--network", "none", "--umask", "077", "busybox", "grep", "Umask", "/proc/self/status")).AssertSuccess().Stdout);
        Assert.Contains("Umask:\t0022", (await skiff.RunAsync("run", "--rm", "--network", "none", "busybox", "grep", "Umask", "/proc/self/status")).AssertSuccess().Stdout);

        (await skiff.RunAsync("create", "--name", "u", "--umask", "77", "busybox", "true")).AssertSuccess();
        Assert.Equal("0077", (await skiff.RunAsync("inspect", "--format", "{{.Config.Umask}}", "u")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("create", "--umask", "999", "busybox", "true")).AssertError(125, "invalid umask string 999");
    }

    [Theory, RootAndRootless]
    public async Task Oom_score_adj_is_written_before_the_command_runs(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        Assert.Equal("500", (await skiff.RunAsync("run", "--rm", "--network", "none", "--oom-score-adj", "500", "busybox", "cat", "/proc/self/oom_score_adj")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("create", "--name", "o", "--oom-score-adj", "300", "busybox", "true")).AssertSuccess();
        Assert.Equal("300", (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.OomScoreAdj}}", "o")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("create", "--oom-score-adj", "1001", "busybox", "true")).AssertError(125, "range for oom score adj is [-1000, 1000]");

        // Lowering it needs CAP_SYS_RESOURCE of the host: never rootless, and root here may lack it.
        ProcessResult lower = await skiff.RunAsync("run", "--rm", "--network", "none", "--oom-score-adj", "-500", "busybox", "cat", "/proc/self/oom_score_adj");
        if (rootless || !HasSysResource())
        {
            lower.AssertError(125, "lowering it needs CAP_SYS_RESOURCE");
        }
        else
        {
            Assert.Equal("-500", lower.AssertSuccess().Stdout.Trim());
        }
    }

    private static bool HasSysResource()
    {
        string line = File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        return (Convert.ToUInt64(line["CapEff:".Length..].Trim(), 16) & (1UL << 24)) != 0;
    }

    [Theory, RootAndRootless]
    public async Task Open_files_default_to_podmans_limit_within_the_callers_hard_limit_and_ulimit_flags_win(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        ulong hard = ulong.Parse((await skiff.ExecAsync("sh", "-c", "ulimit -Hn")).AssertSuccess().Stdout.Trim(), CultureInfo.InvariantCulture);
        ulong expected = Math.Min(1048576UL, hard);
        Assert.Equal($"{expected}\n{expected}\n", (await skiff.RunAsync("run", "--rm", "busybox", "sh", "-c", "ulimit -n; ulimit -Hn")).AssertSuccess().Stdout);
        Assert.Equal("100\n200\n", (await skiff.RunAsync("run", "--rm", "--ulimit", "nofile=100:200", "busybox", "sh", "-c", "ulimit -n; ulimit -Hn")).AssertSuccess().Stdout);
        // exec'd processes get the container's limits, as podman's and runc's exec give them.
        (await skiff.RunAsync("run", "-d", "--name", "limited", "--ulimit", "nofile=150:250", "busybox", "sleep", "60")).AssertSuccess();
        Assert.Equal("150\n250\n", (await skiff.RunAsync("exec", "limited", "sh", "-c", "ulimit -n; ulimit -Hn")).AssertSuccess().Stdout);
        (await skiff.RunAsync("rm", "-f", "-t", "0", "limited")).AssertSuccess();
        // host: the caller's own limits, whatever they are (here the hard one at most).
        string[] host = (await skiff.RunAsync("run", "--rm", "--ulimit", "host", "busybox", "sh", "-c", "ulimit -n; ulimit -Hn")).AssertSuccess().StdoutLines.ToArray();
        Assert.Equal(hard.ToString(CultureInfo.InvariantCulture), host[1]);

        (await skiff.RunAsync("run", "--rm", "--ulimit", "nofiles=1", "busybox", "true")).AssertError(125, "unknown type nofiles");
        (await skiff.RunAsync("run", "--rm", "--ulimit", "nofile=20:10", "busybox", "true")).AssertError(125, "above the hard limit");
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }
}

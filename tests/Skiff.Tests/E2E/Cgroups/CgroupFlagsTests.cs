using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Cgroups;

/// <summary>
/// podman 4.3's run/create cgroup flags on this machine's cgroup v1 controllers: --memory-swappiness, --oom-kill-disable,
/// --cpuset-mems (and update's), --cgroup-parent, --cgroups; and --requires, which orders starts like a joined namespace.
/// </summary>
[Trait("Category", "E2E")]
public sealed class CgroupFlagsTests(ITestOutputHelper output)
{
    private const string V1 = "/sys/fs/cgroup";

    private static async Task<string> IdOfAsync(SkiffCli skiff, string name) =>
        (await skiff.RunAsync("inspect", "--format", "{{.Id}}", name)).AssertSuccess().Stdout.Trim();

    private static string Read(string path) => File.ReadAllText(path).Trim();

    [Fact]
    public async Task Swappiness_oom_kill_disable_and_cpuset_mems_are_in_the_v1_files_and_update_changes_them()
    {
        Assert.True(TestEnvironment.IsRoot, "cgroup v1 limits need root");
        using var skiff = new SkiffCli(output, rootless: false);
        await skiff.ImportBusyboxAsync("busybox");
        (await skiff.RunAsync("run", "-d", "--name", "sw", "--memory-swappiness", "15", "--oom-kill-disable", "--cpuset-mems", "0", "busybox", "sleep", "1000")).AssertSuccess();
        string id = await IdOfAsync(skiff, "sw");
        try
        {
            Assert.Equal("15", Read($"{V1}/memory/skiff/{id}/memory.swappiness"));
            Assert.Contains("oom_kill_disable 1", Read($"{V1}/memory/skiff/{id}/memory.oom_control"));
            Assert.Equal("0", Read($"{V1}/cpuset/skiff/{id}/cpuset.mems"));
            // The container sees its own group's files.
            Assert.Equal(
                ["15", "oom_kill_disable 1"],
                (await skiff.RunAsync("exec", "sw", "sh", "-c", "cat /sys/fs/cgroup/memory/memory.swappiness; grep oom_kill_disable /sys/fs/cgroup/memory/memory.oom_control")).AssertSuccess().StdoutLines);
            Assert.Equal("15 true \"0\"", (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.MemorySwappiness}} {{.HostConfig.OomKillDisable}} {{json .HostConfig.CpusetMems}}", "sw")).AssertSuccess().Stdout.Trim());

            (await skiff.RunAsync("update", "--memory-swappiness", "40", "--cpuset-mems", "0", "sw")).AssertSuccess();
            Assert.Equal("40", Read($"{V1}/memory/skiff/{id}/memory.swappiness"));
            Assert.Equal("40", (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.MemorySwappiness}}", "sw")).AssertSuccess().Stdout.Trim());
            // podman's update has no --oom-kill-disable.
            (await skiff.RunAsync("update", "--oom-kill-disable", "sw")).AssertExitCode(125);
        }
        finally
        {
            (await skiff.RunAsync("rm", "-f", "sw")).AssertSuccess();
        }

        // Unset, podman shows 0 and false; the kernel's own swappiness stays.
        (await skiff.RunAsync("create", "--name", "plain", "busybox", "true")).AssertSuccess();
        Assert.Equal("0 false \"\"", (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.MemorySwappiness}} {{.HostConfig.OomKillDisable}} {{json .HostConfig.CpusetMems}}", "plain")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("rm", "plain")).AssertSuccess();

        (await skiff.RunAsync("run", "--rm", "--memory-swappiness", "101", "busybox", "true")).AssertError(125, "invalid value for --memory-swappiness: '101'");
        (await skiff.RunAsync("run", "--rm", "--memory-swappiness", "-1", "busybox", "true")).AssertSuccess();
        (await skiff.RunAsync("run", "--rm", "--cpuset-mems", "7", "busybox", "true")).AssertError(125, "memory node 7 does not exist");
        (await skiff.RunAsync("run", "--rm", "--cpuset-mems", "x", "busybox", "true")).AssertError(125, "invalid value for --cpuset-mems");
        Assert.Empty((await skiff.RunAsync("ps", "-aq")).AssertSuccess().StdoutLines);
    }

    [Fact]
    public async Task Cgroup_parent_puts_the_group_under_it_in_every_v1_hierarchy()
    {
        Assert.True(TestEnvironment.IsRoot, "cgroup v1 groups need root");
        using var skiff = new SkiffCli(output, rootless: false);
        await skiff.ImportBusyboxAsync("busybox");
        string top = "skiff-test-parent-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            (await skiff.RunAsync("run", "-d", "--name", "par", "--cgroup-parent", $"/{top}/batch", "--cpuset-cpus", "0", "busybox", "sleep", "1000")).AssertSuccess();
            string id = await IdOfAsync(skiff, "par");
            string group = $"/{top}/batch/{id}";
            IReadOnlyList<string> lines = (await skiff.RunAsync("exec", "par", "cat", "/proc/1/cgroup")).AssertSuccess().StdoutLines;
            foreach (string controller in new[] { "memory", "pids", "cpuset", "devices", "freezer", "blkio", "cpu", "cpuacct" })
            {
                Assert.Contains(lines, l => l.EndsWith($":{controller}:{group}", StringComparison.Ordinal));
            }

            Assert.Equal("0", Read($"{V1}/cpuset/{top}/batch/{id}/cpuset.cpus"));
            Assert.Equal($"/{top}/batch", (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.CgroupParent}}", "par")).AssertSuccess().Stdout.Trim());
            (await skiff.RunAsync("rm", "-f", "par")).AssertSuccess();
            Assert.False(Directory.Exists($"{V1}/memory/{top}/batch/{id}"), "the container's group was left behind");

            // A relative parent is under the hierarchy roots too.
            string relative = (await skiff.RunAsync("run", "--rm", "--cgroup-parent", top, "busybox", "cat", "/proc/self/cgroup")).AssertSuccess().Stdout;
            Assert.Contains($":memory:/{top}/", relative);
        }
        finally
        {
            // The parents stay after their containers, as podman leaves them; a --rm container's group goes just after
            // run returns, so the removal is retried until its group is gone.
            await Poll.UntilAsync(() => Task.FromResult(RemoveTree(top)));
        }

        (await skiff.RunAsync("create", "--cgroup-parent", "../escape", "busybox", "true")).AssertError(125, "invalid cgroup parent \"../escape\"");
        Assert.Empty((await skiff.RunAsync("ps", "-aq")).AssertSuccess().StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task Cgroups_disabled_leaves_the_container_in_the_callers_group(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        // The monitor stays in the group of the command that started it, which is this test's.
        string own = await File.ReadAllTextAsync("/proc/self/cgroup");
        string inside = (await skiff.RunAsync("run", "--rm", "--cgroups=disabled", "busybox", "cat", "/proc/self/cgroup")).AssertSuccess().Stdout;
        Assert.Equal(own, inside);
        if (!rootless)
        {
            string enabled = (await skiff.RunAsync("run", "--rm", "--cgroups=no-conmon", "busybox", "cat", "/proc/self/cgroup")).AssertSuccess().Stdout;
            Assert.Contains(":memory:/skiff/", enabled);
        }

        (await skiff.RunAsync("create", "--name", "off", "--cgroups", "disabled", "busybox", "true")).AssertSuccess();
        Assert.Equal("disabled", (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.Cgroups}}", "off")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("rm", "off")).AssertSuccess();

        (await skiff.RunAsync("run", "--rm", "--cgroups=disabled", "--memory", "64m", "busybox", "true")).AssertError(125, "cannot specify resource limits when cgroups are disabled is specified");
        (await skiff.RunAsync("run", "--rm", "--cgroups=disabled", "--cgroup-parent", "x", "busybox", "true")).AssertError(125, "cannot set cgroup parent if not creating cgroups");
        (await skiff.RunAsync("run", "--rm", "--cgroups=disabled", "--runtime", "runc", "busybox", "true")).AssertError(125, "requested OCI runtime runc is not compatible with NoCgroups");
        (await skiff.RunAsync("run", "--rm", "--cgroups=bogus", "busybox", "true")).AssertError(125, "invalid cgroup mode \"bogus\"");
        // This machine's v1 (hybrid) layout has no own cgroup v2 group to split, as podman says.
        (await skiff.RunAsync("run", "--rm", "--cgroups=split", "busybox", "true")).AssertError(125, "could not find cgroup mount in \"/proc/self/cgroup\"");
        Assert.Empty((await skiff.RunAsync("ps", "-aq")).AssertSuccess().StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task Requires_starts_the_required_containers_first_and_keeps_them(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        (await skiff.RunAsync("create", "--name", "db", "--network", "none", "busybox", "sleep", "1000")).AssertSuccess();
        (await skiff.RunAsync("create", "--name", "cache", "--network", "none", "busybox", "sleep", "1000")).AssertSuccess();
        string db = await IdOfAsync(skiff, "db");
        string cache = await IdOfAsync(skiff, "cache");
        try
        {
            (await skiff.RunAsync("create", "--name", "app", "--network", "none", "--requires", "db,cache", "busybox", "true")).AssertSuccess();
            Assert.Equal($"[\"{db}\",\"{cache}\"]", (await skiff.RunAsync("inspect", "--format", "{{json .Dependencies}}", "app")).AssertSuccess().Stdout.Trim());
            (await skiff.RunAsync("start", "-a", "app")).AssertSuccess();
            Assert.Equal("running running", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}}", "db")).AssertSuccess().Stdout.Trim()
                + " " + (await skiff.RunAsync("inspect", "--format", "{{.State.Status}}", "cache")).AssertSuccess().Stdout.Trim());
            (await skiff.RunAsync("rm", "-f", "db")).AssertError(125, "has dependent containers which must be removed before it");
            (await skiff.RunAsync("create", "--requires", "nosuch", "busybox", "true")).AssertError(125, "\"nosuch\" is not a valid container, cannot be used as a dependency");
        }
        finally
        {
            await skiff.RunAsync("rm", "-f", "app");
            (await skiff.RunAsync("rm", "-f", "db", "cache")).AssertSuccess();
        }
    }

    /// <summary>Removes every group named <paramref name="top"/> and its subgroups in every v1 hierarchy; false while one is still busy.</summary>
    private static bool RemoveTree(string top)
    {
        bool removed = true;
        foreach (string hierarchy in Directory.GetDirectories(V1))
        {
            string root = Path.Combine(hierarchy, top);
            if (!Directory.Exists(root))
            {
                continue;
            }

            // Deepest first: a cgroup directory is removed with rmdir once it has no subgroups and no tasks.
            foreach (string directory in Directory.GetDirectories(root, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(root))
            {
                try
                {
                    Directory.Delete(directory);
                }
                catch (IOException)
                {
                    removed = false;
                }
            }
        }

        return removed;
    }
}

using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Cgroups;

/// <summary>
/// What a container sees at /sys/fs/cgroup: its own groups read-only as root; rootless on cgroup v1, where it has no
/// group of its own, the groups it inherited from the caller, read-only, one bind per hierarchy (runc's view for
/// podman), not an empty directory and not the host's whole hierarchy.
/// </summary>
[Trait("Category", "E2E")]
public sealed class CgroupViewTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Each_hierarchy_shows_the_containers_own_group_read_only(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        ProcessResult run = (await skiff.RunAsync("run", "--rm", "busybox", "sh", "-c",
            "cat /proc/self/cgroup; echo ==; awk '$5 ~ \"^/sys/fs/cgroup/\" { print $5, $4, $6 }' /proc/self/mountinfo; echo ==; " +
            "ls /sys/fs/cgroup; echo ==; mkdir /sys/fs/cgroup/pids/x 2>/dev/null && echo WRITABLE; touch /sys/fs/cgroup/x 2>/dev/null && echo WRITABLE; echo done")).AssertSuccess();
        string[] parts = run.Stdout.Split("==\n");
        Assert.Equal(4, parts.Length);

        // hierarchy name (the controllers, or name=systemd's "systemd") → the container's group in it, as /proc/self/cgroup says.
        var groups = new Dictionary<string, string>();
        foreach (string line in parts[0].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split(':', 3);
            foreach (string controller in fields[1].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                groups[controller.Replace("name=", string.Empty, StringComparison.Ordinal)] = fields[2];
            }
        }

        string[] mounts = parts[1].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] listed = parts[2].Split(['\n', ' '], StringSplitOptions.RemoveEmptyEntries);
        if (!File.Exists("/sys/fs/cgroup/cgroup.controllers"))
        {
            // cgroup v1: one mount per hierarchy the container is in, bound from its own group there, read-only.
            Assert.Contains("pids", listed);
            Assert.Contains("memory", listed);
            foreach (string mount in mounts)
            {
                string[] fields = mount.Split(' ');
                string name = fields[0]["/sys/fs/cgroup/".Length..];
                Assert.StartsWith("ro,", fields[2] + ",");
                string own = name.Split(',').Select(c => groups.GetValueOrDefault(c)).First(g => g is not null)!;
                Assert.Equal(own, fields[1]);
            }

            Assert.Equal(listed.Order(StringComparer.Ordinal), mounts.Select(m => m.Split(' ')[0]["/sys/fs/cgroup/".Length..]).Order(StringComparer.Ordinal));
        }

        Assert.DoesNotContain("WRITABLE", run.Stdout);
        Assert.EndsWith("done", run.Stdout.Trim());
    }

    [Theory, RootAndRootless]
    public async Task An_execd_process_is_in_the_containers_groups(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        (await skiff.RunAsync("run", "-d", "--name", "groups", "busybox", "sleep", "60")).AssertSuccess();
        string init = (await skiff.RunAsync("exec", "groups", "cat", "/proc/1/cgroup")).AssertSuccess().Stdout;
        string execd = (await skiff.RunAsync("exec", "groups", "cat", "/proc/self/cgroup")).AssertSuccess().Stdout;
        // As root the container has groups of its own (the exec'd process used to stay in the caller's, out of the limits' reach).
        Assert.Equal(init, execd);
        if (!rootless)
        {
            Assert.Contains("pids:/skiff/", init);
        }

        (await skiff.RunAsync("rm", "-f", "-t", "0", "groups")).AssertSuccess();
    }
}

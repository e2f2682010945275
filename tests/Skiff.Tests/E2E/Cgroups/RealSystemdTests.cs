using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Cgroups;

/// <summary>
/// The systemd cgroup driver against a real systemd user manager (see <see cref="SystemdUserInstance"/>),
/// rootless as podman uses it: a delegated transient scope per container over the user's bus, found below
/// wherever the manager's own cgroup is, shown to the container as its /sys/fs/cgroup, read by stats, and
/// stopped when the container is removed.
/// </summary>
[Trait("Category", "E2E")]
public sealed class RealSystemdTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_rootless_container_runs_in_a_scope_of_the_users_systemd_which_goes_with_it()
    {
        Assert.True(TestEnvironment.IsRoot, "the test sets up a namespace for systemd as root (tests/run.sh runs it as root)");
        using TestSandbox sandbox = TestSandbox.Create(rootless: true);
        await using SystemdUserInstance systemd = await SystemdUserInstance.StartAsync(sandbox, output);
        string tar = Path.Combine(sandbox.Work, "busybox.tar");
        TestImages.WriteBusyboxRootfsTar(tar);
        (await systemd.SkiffAsync("import", tar, "busybox")).AssertSuccess();

        Assert.Equal("systemd", (await systemd.SkiffAsync("info", "--format", "{{.Host.CgroupManager}}")).AssertSuccess().Stdout.Trim());

        // The container sees its scope alone: as the root of its cgroup namespace and as /sys/fs/cgroup.
        ProcessResult inside = (await systemd.SkiffAsync(
            "run", "--rm", "--network", "none", "busybox", "sh", "-c", "cat /proc/self/cgroup; echo ---; ls /sys/fs/cgroup")).AssertSuccess();
        string cgroup = inside.StdoutLines.TakeWhile(l => l != "---").Single(l => l.StartsWith("0::", StringComparison.Ordinal));
        Assert.Equal("0::/", cgroup);
        List<string> listing = inside.StdoutLines.SkipWhile(l => l != "---").Skip(1).ToList();
        Assert.Contains("cgroup.procs", listing);
        Assert.DoesNotContain("user.slice", listing);
        Assert.DoesNotContain("init.scope", listing);

        (await systemd.SkiffAsync("run", "-d", "--name", "sd", "--network", "none", "busybox", "sleep", "300")).AssertSuccess();
        string id = (await systemd.SkiffAsync("inspect", "--format", "{{.Id}}", "sd")).AssertSuccess().Stdout.Trim();
        string scope = $"/sys/fs/cgroup/unified/{systemd.Group}/user.slice/skiff-{id}.scope";
        ProcessResult units = (await systemd.RunAsync("busctl", "--user", "--no-pager", "call", "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
            "org.freedesktop.systemd1.Manager", "ListUnitsByPatterns", "asas", "0", "1", "skiff-*.scope")).AssertSuccess();
        Assert.Contains($"\"skiff-{id}.scope\"", units.Stdout);
        Assert.Contains("\"active\" \"running\"", units.Stdout);
        Assert.True(Directory.Exists(scope), $"systemd made no {scope}");
        string pid = (await systemd.SkiffAsync("inspect", "--format", "{{.State.Pid}}", "sd")).AssertSuccess().Stdout.Trim();
        Assert.Contains(pid, File.ReadAllLines(Path.Combine(scope, "cgroup.procs")));

        // stats reads the scope (this v2 hierarchy has no pids controller: the group's task list counts).
        Assert.Equal("1", (await systemd.SkiffAsync("stats", "--no-stream", "--format", "{{.PIDs}}", "sd")).AssertSuccess().Stdout.Trim());

        // pause freezes the scope through cgroup v2's own freezer (no controller needed).
        (await systemd.SkiffAsync("pause", "sd")).AssertSuccess();
        Assert.Equal("paused", (await systemd.SkiffAsync("inspect", "--format", "{{.State.Status}}", "sd")).AssertSuccess().Stdout.Trim());
        Assert.Contains("frozen 1", File.ReadAllText(Path.Combine(scope, "cgroup.events")));
        (await systemd.SkiffAsync("unpause", "sd")).AssertSuccess();
        Assert.Contains("frozen 0", File.ReadAllText(Path.Combine(scope, "cgroup.events")));

        (await systemd.SkiffAsync("rm", "-f", "sd")).AssertSuccess();
        Assert.False(Directory.Exists(scope), "the container's scope outlived it");
        units = (await systemd.RunAsync("busctl", "--user", "--no-pager", "call", "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
            "org.freedesktop.systemd1.Manager", "ListUnitsByPatterns", "asas", "0", "1", "skiff-*.scope")).AssertSuccess();
        Assert.DoesNotContain($"skiff-{id}.scope", units.Stdout);

        // A limit the manager's group cannot enforce is refused, naming the real group.
        ProcessResult refused = await systemd.SkiffAsync("run", "--rm", "--pids-limit", "20", "--network", "none", "busybox", "true");
        refused.AssertError(125, "--pids-limit");
        Assert.Contains($"/{systemd.Group}/user.slice", refused.Stderr);
    }
}

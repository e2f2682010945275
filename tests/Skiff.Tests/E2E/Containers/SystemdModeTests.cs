using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// podman's --systemd: with busybox as a stand-in init (a script at /sbin/init that shows what it got and exits on
/// SIGRTMIN+3), then with a real systemd 252 booting in a Debian image (tests/setup/systemd-image.sh builds it).
/// </summary>
[Trait("Category", "E2E")]
public sealed class SystemdModeTests(ITestOutputHelper output)
{
    /// <summary>Built once per machine by tests/setup/systemd-image.sh (tests/run.sh runs it).</summary>
    private const string SystemdImageTar = "/var/cache/skiff-tests/systemd-bookworm.tar";

    // Prints its mounts, environment and cgroups, then waits; SIGRTMIN+3 (37) ends it with 0, and nothing else would:
    // a SIGKILL after the stop timeout would make it 137.
    private const string StandInInit = """
        #!/bin/sh
        trap 'echo halted-by-37; exit 0' 37
        echo ---mounts; cat /proc/self/mountinfo
        echo ---env; env
        echo ---cgroup; cat /proc/self/cgroup
        echo ---ready
        while :; do sleep 0.1; done
        """;

    [Theory, RootAndRootless]
    public async Task An_init_command_gets_tmpfs_container_uuid_and_stops_on_SIGRTMIN_3(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox, WriteStandInInit);

        string id = (await skiff.RunAsync("run", "-d", "--name", "sd", "--stop-timeout", "60", "--rootfs", rootfs, "/sbin/init")).AssertSuccess().Stdout.Trim();
        string logs = await ReadyLogsAsync(skiff, "sd");
        List<string[]> mounts = Section(logs, "mounts").Select(l => l.Split(' ')).ToList();
        foreach (string tmpfs in new[] { "/run", "/run/lock", "/tmp", "/var/log/journal" })
        {
            string[] mount = mounts.LastOrDefault(m => m.Length > 4 && m[4] == tmpfs) ?? throw new Xunit.Sdk.XunitException($"no mount on {tmpfs}:\n{logs}");
            Assert.Equal("tmpfs", mount[Array.IndexOf(mount, "-") + 1]);
            Assert.StartsWith("rw,nosuid,nodev", mount[5]);
        }

        // podman's .containerenv is still there, on top of the tmpfs on /run.
        Assert.Contains(mounts, m => m.Length > 4 && m[4] == "/run/.containerenv");
        List<string> env = Section(logs, "env");
        Assert.Contains("container_uuid=" + id[..32], env);
        Assert.Contains("container=podman", env);
        Assert.Equal("37 true", (await skiff.RunAsync("inspect", "--format", "{{.Config.StopSignal}} {{.Config.SystemdMode}}", "sd")).AssertSuccess().Stdout.Trim());
        // inspect's Env is podman's: container_uuid is the process's alone.
        Assert.DoesNotContain("container_uuid", (await skiff.RunAsync("inspect", "--format", "{{.Config.Env}}", "sd")).AssertSuccess().Stdout);

        if (!rootless && HybridCgroupsWithoutDelegation())
        {
            // The name=systemd hierarchy, writable, with the container in a group of its own there (systemd would
            // otherwise take the hierarchy's root as its own), and its release_agent masked.
            string[] named = mounts.Last(m => m.Length > 4 && m[4] == "/sys/fs/cgroup/systemd");
            Assert.StartsWith("rw,", named[5]);
            Assert.Contains(mounts, m => m.Length > 4 && m[4] == "/sys/fs/cgroup/systemd/release_agent");
            Assert.Contains(Section(logs, "cgroup"), l => l.Contains(":name=systemd:/", StringComparison.Ordinal) && l.EndsWith("/" + id, StringComparison.Ordinal));
        }

        (await skiff.RunAsync(["stop", "sd"], timeout: TimeSpan.FromSeconds(90))).AssertSuccess();
        // Exit 0 from the trap: the stop signal was SIGRTMIN+3, and it was not the SIGKILL after the 60 s timeout.
        Assert.Equal("exited 0", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "sd")).AssertSuccess().Stdout.Trim());
        Assert.Contains("halted-by-37", (await skiff.RunAsync("logs", "sd")).AssertSuccess().Stdout);
        (await skiff.RunAsync("rm", "sd")).AssertSuccess();
        if (!rootless && HybridCgroupsWithoutDelegation())
        {
            Assert.False(Directory.Exists("/sys/fs/cgroup/systemd/skiff/" + id), "the container's name=systemd group outlived it");
        }
    }

    [Theory, RootAndRootless]
    public async Task The_flag_turns_the_mode_off_forces_it_and_refuses_other_values(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox, WriteStandInInit);

        // false: an init command runs as any other (no tmpfs on /run, SIGTERM).
        (await skiff.RunAsync("create", "--name", "off", "--systemd=false", "--rootfs", rootfs, "/sbin/init")).AssertSuccess();
        Assert.Equal("15", (await skiff.RunAsync("inspect", "--format", "{{.Config.StopSignal}}", "off")).AssertSuccess().Stdout.Trim());
        Assert.DoesNotContain("SystemdMode", (await skiff.RunAsync("inspect", "off")).AssertSuccess().Stdout);
        ProcessResult plain = (await skiff.RunAsync("run", "--rm", "--systemd=false", "--rootfs", rootfs, "cat", "/proc/self/mountinfo")).AssertSuccess();
        Assert.DoesNotContain(plain.StdoutLines, l => l.Split(' ') is { Length: > 4 } f && f[4] is "/run" or "/tmp");

        // true (the default) and a command that is no init: nothing changes either.
        ProcessResult other = (await skiff.RunAsync("run", "--rm", "--rootfs", rootfs, "sh", "-c", "cat /proc/self/mountinfo; env")).AssertSuccess();
        Assert.DoesNotContain(other.StdoutLines, l => l.Split(' ') is { Length: > 4 } f && f[4] is "/run" or "/tmp");
        Assert.DoesNotContain(other.StdoutLines, l => l.StartsWith("container_uuid=", StringComparison.Ordinal));

        // always: any command, and the user's --stop-signal wins over SIGRTMIN+3.
        ProcessResult forced = (await skiff.RunAsync("run", "--rm", "--systemd=always", "--rootfs", rootfs, "sh", "-c", "cat /proc/self/mountinfo; env")).AssertSuccess();
        Assert.Contains(forced.StdoutLines, l => l.Split(' ') is { Length: > 4 } f && f[4] == "/tmp");
        Assert.Contains(forced.StdoutLines, l => l.StartsWith("container_uuid=", StringComparison.Ordinal));
        (await skiff.RunAsync("create", "--name", "usr1", "--stop-signal", "USR1", "--rootfs", rootfs, "/sbin/init")).AssertSuccess();
        Assert.Equal("10 true", (await skiff.RunAsync("inspect", "--format", "{{.Config.StopSignal}} {{.Config.SystemdMode}}", "usr1")).AssertSuccess().Stdout.Trim());

        (await skiff.RunAsync("run", "--rm", "--systemd=yes", "--rootfs", rootfs, "/sbin/init"))
            .AssertError(125, "--systemd values must be one of \"true, false, always\"");
        (await skiff.RunAsync("rm", "off", "usr1")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task A_real_systemd_boots_starts_a_unit_logs_and_halts_on_stop(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await ImportSystemdImageAsync(skiff);
        // -t: systemd writes its boot messages to /dev/console, which is the container's terminal (without one it
        // writes nothing, as with podman).
        string id = (await skiff.RunAsync("run", "-dt", "--name", "sd", "--network", "none", "--stop-timeout", "60", "debian-systemd", "/sbin/init")).AssertSuccess().Stdout.Trim();
        if (rootless && HybridCgroupsWithoutDelegation())
        {
            // cgroup v1: the name=systemd hierarchy is the host root's, and no user namespace may write it or mount
            // one of its own; systemd cannot make its init.scope and exits, as it does under podman 4.3 with runc.
            await Poll.UntilAsync(async () => (await skiff.RunAsync("inspect", "--format", "{{.State.Status}}", "sd")).Stdout.Trim() == "exited", TimeSpan.FromSeconds(60));
            Assert.Equal("255", (await skiff.RunAsync("inspect", "--format", "{{.State.ExitCode}}", "sd")).AssertSuccess().Stdout.Trim());
            string failed = (await skiff.RunAsync("logs", "sd")).AssertSuccess().Stdout;
            Assert.Contains("systemd 252", failed);
            Assert.Contains("Failed to create /init.scope control group: Permission denied", failed);
            (await skiff.RunAsync("rm", "sd")).AssertSuccess();
            return;
        }

        string state = await SystemStateAsync(skiff, "sd");
        Assert.True(state is "running" or "degraded", $"systemd did not come up: {state}");

        (await skiff.RunAsync("exec", "sd", "systemctl", "start", "skiff-probe.service")).AssertSuccess();
        Assert.Equal("probe ran", (await skiff.RunAsync("exec", "sd", "cat", "/run/skiff-probe")).AssertSuccess().Stdout.Trim());
        Assert.Equal("active", (await skiff.RunAsync("exec", "sd", "systemctl", "is-active", "skiff-probe.service")).AssertSuccess().Stdout.Trim());
        // systemd knows it is in a container and took container_uuid as its machine id.
        Assert.Equal("podman", (await skiff.RunAsync("exec", "sd", "systemd-detect-virt", "--container")).AssertSuccess().Stdout.Trim());
        Assert.Equal(id[..32], (await skiff.RunAsync("exec", "sd", "cat", "/etc/machine-id")).AssertSuccess().Stdout.Trim());
        if (!rootless && Directory.Exists("/sys/fs/cgroup/systemd/skiff"))
        {
            // Its units' groups are below the container's own in the name=systemd hierarchy, not at the host's root.
            Assert.True(Directory.Exists($"/sys/fs/cgroup/systemd/skiff/{id}/init.scope"), "systemd made no init.scope in the container's group");
        }

        (await skiff.RunAsync(["stop", "sd"], timeout: TimeSpan.FromSeconds(90))).AssertSuccess();
        // systemd halts on SIGRTMIN+3 and exits 0 in a container; the SIGKILL after the 60 s timeout would make it 137.
        Assert.Equal("exited 0", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "sd")).AssertSuccess().Stdout.Trim());
        string logs = (await skiff.RunAsync("logs", "sd")).AssertSuccess().Stdout;
        Assert.Contains("systemd 252", logs);
        Assert.Contains("Debian GNU/Linux 12 (bookworm)", logs);
        Assert.Contains("Reached target", logs);
        (await skiff.RunAsync("rm", "sd")).AssertSuccess();
        Assert.False(Directory.Exists("/sys/fs/cgroup/systemd/skiff/" + id), "the groups systemd made outlived the container");
    }

    /// <summary>This machine's kind: cgroup v1 controllers with a name=systemd hierarchy, and no v2 delegation for the test user.</summary>
    private static bool HybridCgroupsWithoutDelegation() =>
        File.Exists("/sys/fs/cgroup/systemd/cgroup.procs") && !File.Exists("/sys/fs/cgroup/cgroup.controllers");

    private static void WriteStandInInit(string rootfs)
    {
        string sbin = Path.Combine(rootfs, "sbin");
        Directory.CreateDirectory(sbin);
        File.WriteAllText(Path.Combine(sbin, "init"), StandInInit.Replace("\r\n", "\n") + "\n");
        File.SetUnixFileMode(Path.Combine(sbin, "init"), (UnixFileMode)Convert.ToInt32("755", 8));
    }

    private static async Task<string> ReadyLogsAsync(SkiffCli skiff, string name)
    {
        string logs = string.Empty;
        await Poll.UntilAsync(async () => (logs = (await skiff.RunAsync("logs", name)).Stdout).Contains("---ready"));
        return logs;
    }

    /// <summary>The lines of the stand-in init's section <paramref name="name"/>.</summary>
    private static List<string> Section(string logs, string name) =>
        logs.Split('\n').SkipWhile(l => l != "---" + name).Skip(1).TakeWhile(l => !l.StartsWith("---", StringComparison.Ordinal)).ToList();

    private static async Task ImportSystemdImageAsync(SkiffCli skiff)
    {
        Assert.True(File.Exists(SystemdImageTar), $"{SystemdImageTar} is missing; tests/setup/systemd-image.sh builds it (tests/run.sh runs it)");
        (await skiff.RunAsync(["import", SystemdImageTar, "debian-systemd"], timeout: TimeSpan.FromSeconds(180))).AssertSuccess();
    }

    /// <summary>
    /// systemctl is-system-running --wait, polled: it waits for the boot to finish and prints running or degraded
    /// (a unit that failed in a container is no failure of this test); anything else is returned as it is.
    /// </summary>
    private static async Task<string> SystemStateAsync(SkiffCli skiff, string name)
    {
        string state = string.Empty;
        await Poll.UntilAsync(async () =>
        {
            ProcessResult result = await skiff.RunAsync(["exec", name, "systemctl", "is-system-running", "--wait"], timeout: TimeSpan.FromSeconds(120));
            state = result.Stdout.Trim();
            return state is "running" or "degraded";
        }, TimeSpan.FromSeconds(150));
        return state;
    }
}

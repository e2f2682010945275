using System.Text.Json;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// run --restart as podman 4.3 applies it: the monitor starts the container again when it ends by itself, at once,
/// unless the user stopped it (stop, kill -s KILL, rm -f); on-failure only after a non-zero code, at most MAX times.
/// </summary>
[Trait("Category", "E2E")]
public sealed class RestartPolicyTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task On_failure_runs_again_up_to_its_maximum(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        // The foreground run returns the first run's code, as podman's.
        (await skiff.RunAsync("run", "--name", "flaky", "--restart", "on-failure:2", "--rootfs", rootfs, "sh", "-c", "echo run; exit 3")).AssertExitCode(3);

        await Poll.UntilAsync(async () => (await skiff.RunAsync("logs", "flaky")).Stdout == "run\nrun\nrun\n"
            && (await skiff.RunAsync("inspect", "--format", "{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}}", "flaky")).Stdout.Trim() == "2 exited 3");
        using (JsonDocument inspect = JsonDocument.Parse((await skiff.RunAsync("inspect", "flaky")).AssertSuccess().Stdout))
        {
            JsonElement container = inspect.RootElement[0];
            JsonElement policy = container.GetProperty("HostConfig").GetProperty("RestartPolicy");
            Assert.Equal("on-failure", policy.GetProperty("Name").GetString());
            Assert.Equal(2, policy.GetProperty("MaximumRetryCount").GetInt32());
            Assert.Equal(2, container.GetProperty("RestartCount").GetInt32());
            Assert.False(container.GetProperty("State").GetProperty("Restarting").GetBoolean());
            Assert.Equal(0, container.GetProperty("State").GetProperty("ConmonPid").GetInt32());
        }

        Assert.StartsWith("Exited (3)", (await skiff.RunAsync("ps", "-a", "--format", "{{.Status}}")).AssertSuccess().Stdout);
        // A start by the user counts afresh: two more restarts (with the old count it would run once).
        // wait, as podman's, returns after the last run, the one not restarted.
        (await skiff.RunAsync("start", "flaky")).AssertSuccess();
        Assert.Equal("3\n", (await skiff.RunAsync("wait", "flaky")).AssertSuccess().Stdout);
        Assert.Equal(6, (await skiff.RunAsync("logs", "flaky")).AssertSuccess().StdoutLines.Count);
        Assert.Equal("2 exited 3 0", (await skiff.RunAsync("inspect", "--format", "{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}} {{.State.ConmonPid}}", "flaky")).AssertSuccess().Stdout.Trim());

        // A code of 0 ends on-failure's restarts.
        (await skiff.RunAsync("run", "--name", "fine", "--restart", "on-failure", "--rootfs", rootfs, "true")).AssertSuccess();
        Assert.Equal("0 exited 0", (await skiff.RunAsync("inspect", "--format", "{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}}", "fine")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("rm", "flaky", "fine")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Always_runs_again_until_stopped_and_rm_f_removes_it(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "-d", "--name", "loop", "--restart", "always", "--rootfs", rootfs, "sh", "-c", "echo run")).AssertSuccess();
        Assert.Equal("{\"Name\":\"always\",\"MaximumRetryCount\":0}", (await skiff.RunAsync("inspect", "--format", "{{json .HostConfig.RestartPolicy}}", "loop")).AssertSuccess().Stdout.Trim());
        await Poll.UntilAsync(async () => await RestartCountAsync(skiff, "loop") >= 3);

        (await skiff.RunAsync("stop", "loop")).AssertSuccess();
        // stop returns once the last run's monitor is gone; no monitor left means nothing can start it again.
        string[] stopped = (await skiff.RunAsync("inspect", "--format", "{{.State.Status}} {{.State.ConmonPid}} {{.RestartCount}}", "loop")).AssertSuccess().Stdout.Trim().Split(' ');
        Assert.Equal(["exited", "0"], stopped[..2]);
        Assert.StartsWith("Exited (0)", (await skiff.RunAsync("ps", "-a", "--format", "{{.Status}}")).AssertSuccess().Stdout);

        // A start after the stop runs it, and its policy, again.
        int runs = (await skiff.RunAsync("logs", "loop")).AssertSuccess().StdoutLines.Count;
        (await skiff.RunAsync("start", "loop")).AssertSuccess();
        await Poll.UntilAsync(async () => (await skiff.RunAsync("logs", "loop")).StdoutLines.Count >= runs + 3);

        (await skiff.RunAsync("rm", "-f", "loop")).AssertSuccess();
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task Kill_with_sigkill_stops_it_for_good_another_signal_does_not(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "-d", "--name", "svc", "--restart", "unless-stopped", "--rootfs", rootfs,
            "sh", "-c", "trap 'exit 5' USR1; echo up; while true; do sleep 0.1; done")).AssertSuccess();
        await Poll.UntilAsync(async () => (await skiff.RunAsync("logs", "svc")).Stdout == "up\n");

        (await skiff.RunAsync("kill", "-s", "USR1", "svc")).AssertSuccess();
        await Poll.UntilAsync(async () => (await skiff.RunAsync("logs", "svc")).Stdout == "up\nup\n"
            && (await skiff.RunAsync("inspect", "--format", "{{.RestartCount}} {{.State.Status}}", "svc")).Stdout.Trim() == "1 running");

        (await skiff.RunAsync("kill", "svc")).AssertSuccess();
        (await skiff.RunAsync("wait", "svc")).AssertSuccess();
        Assert.Equal("1 exited 137", (await skiff.RunAsync("inspect", "--format", "{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}}", "svc")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("rm", "svc")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task A_container_handed_over_to_skiff_relay_is_restarted(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        skiff.Environment["SKIFF_MONITOR_IDLE_AFTER_MS"] = "0";
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "-d", "--name", "relayed", "--restart", "on-failure:1", "--rootfs", rootfs,
            "sh", "-c", "trap 'exit 4' USR1; echo up; while true; do sleep 0.1; done")).AssertSuccess();
        foreach (int run in new[] { 1, 2 })
        {
            await Poll.UntilAsync(async () => (await skiff.RunAsync("logs", "relayed")).StdoutLines.Count == run
                && MonitorRelayTests.ProgramOf(await MonitorRelayTests.MonitorPidAsync(skiff, "relayed")) == "skiff-relay");
            (await skiff.RunAsync("kill", "-s", "USR1", "relayed")).AssertSuccess();
        }

        await Poll.UntilAsync(async () => (await skiff.RunAsync("inspect", "--format", "{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}}", "relayed")).Stdout.Trim() == "1 exited 4");
        Assert.Equal("up\nup\n", (await skiff.RunAsync("logs", "relayed")).AssertSuccess().Stdout);
        (await skiff.RunAsync("rm", "relayed")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task A_container_whose_monitor_was_killed_is_not_restarted_and_shown_exited(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "-d", "--name", "orphan", "--restart", "always", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess();
        string[] pids = (await skiff.RunAsync("inspect", "--format", "{{.State.ConmonPid}} {{.State.Pid}}", "orphan")).AssertSuccess().Stdout.Trim().Split(' ');
        (await TestProcess.RunAsync(new ProcessSpec("kill", ["-9", pids[0]]), output)).AssertSuccess();
        await Poll.UntilAsync(() => Task.FromResult(!Directory.Exists($"/proc/{pids[0]}")));
        (await TestProcess.RunAsync(new ProcessSpec("kill", ["-9", pids[1]]), output)).AssertSuccess();

        // Nothing is left to restart it (podman's conmon killed: the same); the next command records the end.
        await Poll.UntilAsync(async () => (await skiff.RunAsync("ps", "-q")).StdoutLines.Count == 0);
        Assert.Equal("exited 0 0", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}} {{.RestartCount}} {{.State.ConmonPid}}", "orphan")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("start", "orphan")).AssertSuccess();
        Assert.Equal("running", (await skiff.RunAsync("ps", "--format", "{{.State}}")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("rm", "-f", "orphan")).AssertSuccess();
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task Invalid_policies_and_rm_with_a_policy_are_refused(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "--restart", "sometimes", "--rootfs", rootfs, "true")).AssertError(125, "\"sometimes\" is not a valid restart policy");
        (await skiff.RunAsync("create", "--restart", "always:3", "--rootfs", rootfs, "true")).AssertError(125, "restart policy retries can only be specified with on-failure restart policy");
        (await skiff.RunAsync("create", "--restart", "on-failure:x", "--rootfs", rootfs, "true")).AssertError(125, "parsing restart policy retry count");
        (await skiff.RunAsync("create", "--restart", "on-failure:-1", "--rootfs", rootfs, "true")).AssertError(125, "must specify restart policy retry count as a number greater than 0");
        ProcessResult conflict = (await skiff.RunAsync("run", "--rm", "--restart", "always", "--rootfs", rootfs, "true"))
            .AssertError(125, "the --rm option conflicts with --restart");
        Assert.Single(conflict.Stderr.Split('\n'), l => l.StartsWith("Error:", StringComparison.Ordinal));
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);

        // podman lets a bare on-failure (and no) through with --rm: the container is gone when it ends, never restarted.
        (await skiff.RunAsync("run", "--rm", "--restart", "on-failure", "--rootfs", rootfs, "sh", "-c", "exit 3")).AssertExitCode(3);
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }

    private static async Task<int> RestartCountAsync(SkiffCli skiff, string name) =>
        int.Parse((await skiff.RunAsync("inspect", "--format", "{{.RestartCount}}", name)).AssertSuccess().Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
}

using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// Healthchecks as podman runs them: scheduled by the container's monitor (and by skiff-relay once the monitor handed the
/// container over), run once by <c>healthcheck run</c>, shown by inspect and ps. Waits poll with generous limits; nothing
/// asserts how long a check took.
/// </summary>
[Trait("Category", "E2E")]
[Collection(RegistryCollection.Name)]
public sealed class HealthcheckTests(RegistryFixture registry, ITestOutputHelper output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Theory, RootAndRootless]
    public async Task A_scheduled_check_turns_unhealthy_then_healthy_across_the_handover_to_the_relay(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "-d", "--name", "hc", "--health-cmd", "test -f /tmp/ok", "--health-interval", "1s", "--health-retries", "2", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess();

        await Poll.UntilAsync(async () => await StatusAsync(skiff, "hc") == "unhealthy", Generous);
        // The checks went on after the monitor became skiff-relay (it does so a second after the start).
        int monitor = await MonitorRelayTests.MonitorPidAsync(skiff, "hc");
        await Poll.UntilAsync(() => MonitorRelayTests.ProgramOf(monitor) == "skiff-relay", Generous);
        Assert.Matches(@"^Up .* \(unhealthy\)$", (await skiff.RunAsync("ps", "--format", "{{.Status}}")).AssertSuccess().Stdout.Trim());
        Assert.Equal(["hc"], (await skiff.RunAsync("ps", "--filter", "health=unhealthy", "--format", "{{.Names}}")).AssertSuccess().StdoutLines);
        Assert.Empty((await skiff.RunAsync("ps", "--filter", "health=healthy", "--format", "{{.Names}}")).AssertSuccess().StdoutLines);

        (await skiff.RunAsync("exec", "hc", "touch", "/tmp/ok")).AssertSuccess();
        await Poll.UntilAsync(async () => await StatusAsync(skiff, "hc") == "healthy", Generous);
        Assert.Equal("skiff-relay", MonitorRelayTests.ProgramOf(monitor));
        Assert.Matches(@"^Up .* \(healthy\)$", (await skiff.RunAsync("ps", "--format", "{{.Status}}")).AssertSuccess().Stdout.Trim());
        Assert.Equal(["hc"], (await skiff.RunAsync("ps", "--filter", "health=healthy", "--format", "{{.Names}}")).AssertSuccess().StdoutLines);
        string log = (await skiff.RunAsync("inspect", "--format", "{{.State.Health.FailingStreak}} {{len .State.Health.Log}} {{(index .State.Health.Log 0).ExitCode}}", "hc")).AssertSuccess().Stdout.Trim();
        Assert.Matches(@"^0 [2-5] 1$", log);

        (await skiff.RunAsync("rm", "-f", "hc")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Healthcheck_run_exits_as_podman_and_records_each_result(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "-d", "--name", "manual", "--health-cmd", "echo out; echo err >&2; test -f /tmp/ok", "--health-interval", "disable", "--health-retries", "2", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess();
        (await skiff.RunAsync("run", "-d", "--name", "plain", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess();
        (await skiff.RunAsync("create", "--name", "created", "--health-cmd", "true", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess();

        Assert.Equal("starting", await StatusAsync(skiff, "manual"));
        Assert.Equal(["manual"], (await skiff.RunAsync("ps", "--filter", "health=starting", "--format", "{{.Names}}")).AssertSuccess().StdoutLines);
        Assert.Matches(@"^Up .* \(starting\)$", (await skiff.RunAsync("ps", "--filter", "name=manual", "--format", "{{.Status}}")).AssertSuccess().Stdout.Trim());

        Assert.Equal("unhealthy\n", (await skiff.RunAsync("healthcheck", "run", "manual")).AssertExitCode(1).Stdout);
        Assert.Equal("starting 1", (await skiff.RunAsync("inspect", "--format", "{{.State.Health.Status}} {{.State.Health.FailingStreak}}", "manual")).AssertSuccess().Stdout.Trim());
        Assert.Equal("unhealthy\n", (await skiff.RunAsync("healthcheck", "run", "manual")).AssertExitCode(1).Stdout);
        Assert.Equal("unhealthy 2", (await skiff.RunAsync("inspect", "--format", "{{.State.Health.Status}} {{.State.Health.FailingStreak}}", "manual")).AssertSuccess().Stdout.Trim());
        Assert.Equal("out\nerr", (await skiff.RunAsync("inspect", "--format", "{{(index .State.Health.Log 1).Output}}", "manual")).AssertSuccess().Stdout.TrimEnd('\n'));

        (await skiff.RunAsync("exec", "manual", "touch", "/tmp/ok")).AssertSuccess();
        Assert.Equal(string.Empty, (await skiff.RunAsync("healthcheck", "run", "manual")).AssertSuccess().Stdout);
        Assert.Equal("healthy 0", (await skiff.RunAsync("inspect", "--format", "{{.State.Health.Status}} {{.State.Health.FailingStreak}}", "manual")).AssertSuccess().Stdout.Trim());
        // No timer with --health-interval disable: only the three runs above are recorded.
        Assert.Equal("3", (await skiff.RunAsync("inspect", "--format", "{{len .State.Health.Log}}", "manual")).AssertSuccess().Stdout.Trim());

        // Failures in the start period are logged but not counted: still starting after one with --health-retries 1.
        (await skiff.RunAsync("run", "-d", "--name", "warming", "--health-cmd", "false", "--health-start-period", "10m", "--health-retries", "1", "--health-interval", "disable", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess();
        Assert.Equal("unhealthy\n", (await skiff.RunAsync("healthcheck", "run", "warming")).AssertExitCode(1).Stdout);
        Assert.Equal("starting 0 1", (await skiff.RunAsync("inspect", "--format", "{{.State.Health.Status}} {{.State.Health.FailingStreak}} {{len .State.Health.Log}}", "warming")).AssertSuccess().Stdout.Trim());

        (await skiff.RunAsync("healthcheck", "run", "plain")).AssertError(125, "has no defined healthcheck");
        (await skiff.RunAsync("healthcheck", "run", "created")).AssertError(125, "is not running");
        (await skiff.RunAsync("healthcheck", "run", "nosuch")).AssertError(125, "no such container");
        Assert.Equal(["plain"], (await skiff.RunAsync("ps", "--filter", "health=none", "--format", "{{.Names}}")).AssertSuccess().StdoutLines);
        Assert.Matches(@"^Up [^(]*$", (await skiff.RunAsync("ps", "--filter", "name=plain", "--format", "{{.Status}}")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("ps", "--filter", "health=bogus")).AssertError(125, "invalid health filter");
        Assert.Equal(" none", (await skiff.RunAsync("inspect", "--format", "{{.State.Health.Status}} {{.Config.HealthcheckOnFailureAction}}", "plain")).AssertSuccess().Stdout.TrimEnd('\n'));

        (await skiff.RunAsync("rm", "-f", "manual", "plain", "created", "warming")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task A_check_that_outlives_its_timeout_is_killed_and_fails(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "-d", "--name", "slow", "--health-cmd", "echo started; sleep 600", "--health-timeout", "1s", "--health-interval", "disable", "--health-retries", "1", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess();

        (await skiff.RunAsync("healthcheck", "run", "slow")).AssertError(125, "healthcheck command exceeded timeout of 1s");
        Assert.Equal("unhealthy -1 started", (await skiff.RunAsync("inspect", "--format", "{{.State.Health.Status}} {{(index .State.Health.Log 0).ExitCode}} {{(index .State.Health.Log 0).Output}}", "slow")).AssertSuccess().Stdout.Trim());
        // The check's process was killed, not left running in the container.
        Assert.DoesNotContain("sleep 600", (await skiff.RunAsync("top", "slow", "args")).AssertSuccess().Stdout);

        (await skiff.RunAsync("rm", "-f", "slow")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Flags_are_checked_and_no_healthcheck_disables(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("create", "--health-cmd", "true", "--health-interval", "5x", "--rootfs", rootfs, "true")).AssertError(125, "invalid healthcheck-interval");
        (await skiff.RunAsync("create", "--health-cmd", "true", "--health-retries", "0", "--rootfs", rootfs, "true")).AssertError(125, "healthcheck-retries must be greater than 0");
        (await skiff.RunAsync("create", "--health-cmd", "true", "--health-timeout", "0s", "--rootfs", rootfs, "true")).AssertError(125, "healthcheck-timeout must be at least 1 second");
        (await skiff.RunAsync("create", "--health-cmd", "true", "--health-start-period", "-1s", "--rootfs", rootfs, "true")).AssertError(125, "healthcheck-start-period must be 0 seconds or greater");
        (await skiff.RunAsync("create", "--health-on-failure", "bogus", "--rootfs", rootfs, "true")).AssertError(125, "invalid on-failure action");
        (await skiff.RunAsync("create", "--no-healthcheck", "--health-cmd", "true", "--rootfs", rootfs, "true")).AssertError(125, "cannot specify both");
        (await skiff.RunAsync("create", "--health-on-failure", "kill", "--rootfs", rootfs, "true")).AssertError(125, "cannot set on-failure action to kill without a health check");
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);

        (await skiff.RunAsync("run", "-d", "--name", "off", "--no-healthcheck", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess();
        Assert.Equal("{\"Test\":[\"NONE\"]}", (await skiff.RunAsync("inspect", "--format", "{{json .Config.Healthcheck}}", "off")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("healthcheck", "run", "off")).AssertError(125, "has no defined healthcheck");
        (await skiff.RunAsync("create", "--name", "exec-form", "--health-cmd", "[\"sh\",\"-c\",\"exit 0\"]", "--health-start-period", "1m", "--health-on-failure", "kill", "--rootfs", rootfs, "true")).AssertSuccess();
        Assert.Equal(
            "{\"Test\":[\"CMD\",\"sh\",\"-c\",\"exit 0\"],\"StartPeriod\":60000000000,\"Interval\":30000000000,\"Timeout\":30000000000,\"Retries\":3} kill",
            (await skiff.RunAsync("inspect", "--format", "{{json .Config.Healthcheck}} {{.Config.HealthcheckOnFailureAction}}", "exec-form")).AssertSuccess().Stdout.Trim());

        (await skiff.RunAsync("rm", "-f", "off", "exec-form")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task On_failure_kill_ends_an_unhealthy_container(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "-d", "--name", "doomed", "--health-cmd", "false", "--health-interval", "disable", "--health-retries", "1", "--health-on-failure", "kill", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess();

        Assert.Equal("unhealthy\n", (await skiff.RunAsync("healthcheck", "run", "doomed")).AssertExitCode(1).Stdout);
        Assert.Equal("137", (await skiff.RunAsync("wait", "doomed")).AssertSuccess().Stdout.Trim());
        Assert.Matches(@"^Exited \(137\) .* \(unhealthy\)$", (await skiff.RunAsync("ps", "-a", "--format", "{{.Status}}")).AssertSuccess().Stdout.Trim());

        // A start makes it starting again; the earlier results stay in the log.
        (await skiff.RunAsync("start", "doomed")).AssertSuccess();
        Assert.Equal("starting 0 1", (await skiff.RunAsync("inspect", "--format", "{{.State.Health.Status}} {{.State.Health.FailingStreak}} {{len .State.Health.Log}}", "doomed")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("kill", "doomed")).AssertSuccess();
        (await skiff.RunAsync("wait", "doomed")).AssertSuccess();

        (await skiff.RunAsync("rm", "doomed")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task The_images_healthcheck_is_used_unless_flags_replace_or_disable_it(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        OciImage image = TestImages.Busybox().Configure(config => config.Healthcheck = new System.Text.Json.Nodes.JsonObject
        {
            ["Test"] = new System.Text.Json.Nodes.JsonArray("CMD", "test", "-f", "/tmp/ok"),
            ["Interval"] = 0,
            ["Retries"] = 1,
        }).WriteLayout(Path.Combine(skiff.Sandbox.Work, "layout"));
        string reference = await TestImages.PushAsync(image, registry.Registry, $"health/image-{(rootless ? "rootless" : "root")}-{Guid.NewGuid():N}"[..30], log: output);
        await skiff.PullInsecureAsync(reference);

        Assert.Equal("{\"Test\":[\"CMD\",\"test\",\"-f\",\"/tmp/ok\"],\"Retries\":1}", (await skiff.RunAsync("image", "inspect", "--format", "{{json .Healthcheck}}", reference)).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("run", "-d", "--name", "fromimage", "--network", "none", "--health-on-failure", "stop", "--stop-timeout", "1", reference, "sleep", "1000")).AssertSuccess();
        Assert.Equal(
            "{\"Test\":[\"CMD\",\"test\",\"-f\",\"/tmp/ok\"],\"Interval\":30000000000,\"Timeout\":30000000000,\"Retries\":1} stop",
            (await skiff.RunAsync("inspect", "--format", "{{json .Config.Healthcheck}} {{.Config.HealthcheckOnFailureAction}}", "fromimage")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("exec", "fromimage", "touch", "/tmp/ok")).AssertSuccess();
        (await skiff.RunAsync("healthcheck", "run", "fromimage")).AssertSuccess();
        (await skiff.RunAsync("exec", "fromimage", "rm", "/tmp/ok")).AssertSuccess();
        // One failure (the image's retries) makes it unhealthy, and --health-on-failure stop stops it.
        Assert.Equal("unhealthy\n", (await skiff.RunAsync("healthcheck", "run", "fromimage")).AssertExitCode(1).Stdout);
        Assert.Equal("exited unhealthy", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}} {{.State.Health.Status}}", "fromimage")).AssertSuccess().Stdout.Trim());

        (await skiff.RunAsync("create", "--name", "replaced", "--health-cmd", "true", reference, "true")).AssertSuccess();
        Assert.Equal("[CMD-SHELL true] 3", (await skiff.RunAsync("inspect", "--format", "{{.Config.Healthcheck.Test}} {{.Config.Healthcheck.Retries}}", "replaced")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("create", "--name", "disabled", "--no-healthcheck", reference, "true")).AssertSuccess();
        Assert.Equal("[NONE]", (await skiff.RunAsync("inspect", "--format", "{{.Config.Healthcheck.Test}}", "disabled")).AssertSuccess().Stdout.Trim());

        (await skiff.RunAsync("rm", "-f", "fromimage", "replaced", "disabled")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task On_failure_restart_starts_an_unhealthy_container_again(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "-d", "--name", "again", "--health-cmd", "test -f /tmp/ok", "--health-interval", "1s", "--health-retries", "1", "--health-on-failure", "restart", "--stop-timeout", "1", "--rootfs", rootfs, "sh", "-c", "echo started; exec sleep 1000")).AssertSuccess();

        // Each scheduled failure restarts it: the log shows the process started again, and it runs.
        await Poll.UntilAsync(async () => (await skiff.RunAsync("logs", "again")).Stdout.Split('\n').Count(line => line == "started") >= 2, Generous);
        await Poll.UntilAsync(async () => (await skiff.RunAsync("inspect", "--format", "{{.State.Status}}", "again")).Stdout.Trim() == "running", Generous);

        (await skiff.RunAsync("rm", "-f", "again")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task A_check_left_to_the_monitor_by_its_killed_healthcheck_does_not_keep_the_container_from_ending(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "-d", "--name", "orphan", "--health-cmd", "sleep 600", "--health-interval", "1s", "--health-timeout", "10m", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess();
        await Poll.UntilAsync(async () => (await skiff.RunAsync("top", "orphan", "args")).Stdout.Contains("sleep 600"), Generous);

        // The `healthcheck run` the monitor started dies; the check's process in the container is left to the monitor
        // (its subreaper). Once the container is killed that process ends too, and until the monitor reaps it the
        // kernel holds the container's init in its exit: the monitor would never see the end, and rm -f wait for it.
        int monitor = await MonitorRelayTests.MonitorPidAsync(skiff, "orphan");
        int check = Directory.EnumerateDirectories($"/proc/{monitor}/task")
            .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pid => int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture))
            .Single(pid => File.ReadAllText($"/proc/{pid}/cmdline").Contains("healthcheck", StringComparison.Ordinal));
        System.Diagnostics.Process.GetProcessById(check).Kill();

        (await skiff.RunAsync("rm", "-f", "orphan")).AssertSuccess();
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
        await Poll.UntilAsync(() => Task.FromResult(!Directory.Exists($"/proc/{monitor}")), Generous);
    }

    [Theory, RootAndRootless]
    public async Task A_check_cut_short_by_a_stop_records_nothing_and_takes_no_action(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "-d", "--name", "busy", "--health-cmd", "sleep 600", "--health-interval", "disable", "--health-retries", "1", "--health-on-failure", "restart", "--stop-timeout", "1", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess();

        Task<ProcessResult> check = skiff.RunAsync("healthcheck", "run", "busy");
        await Poll.UntilAsync(async () => (await skiff.RunAsync("top", "busy", "args")).Stdout.Contains("sleep 600"), Generous);
        (await skiff.RunAsync("stop", "busy")).AssertSuccess();

        (await check).AssertError(125, "is not running");
        Assert.Equal("exited starting 0", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}} {{.State.Health.Status}} {{len .State.Health.Log}}", "busy")).AssertSuccess().Stdout.Trim());

        (await skiff.RunAsync("rm", "busy")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task A_check_still_running_when_the_container_ends_is_killed_and_reaped_by_the_monitor(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        // The monitor's own loop: no hand-over to skiff-relay.
        skiff.Environment["SKIFF_MONITOR_NO_RELAY"] = "1";
        await AssertCheckReapedAsync(skiff, rootfs, "monitored", relayed: false);
    }

    [Theory, RootAndRootless]
    public async Task A_check_still_running_when_the_container_ends_is_killed_and_reaped_by_the_relay(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        skiff.Environment.Remove("SKIFF_MONITOR_NO_RELAY");
        await AssertCheckReapedAsync(skiff, rootfs, "relayed", relayed: true);
    }

    /// <summary>
    /// A slow scheduled check runs when the container ends: once the monitor (or skiff-relay and the skiff it execs) is
    /// gone, that check's process is gone too, not left running nor a zombie (this machine's init reaps nothing), and
    /// it recorded nothing.
    /// </summary>
    private static async Task AssertCheckReapedAsync(SkiffCli skiff, string rootfs, string name, bool relayed)
    {
        (await skiff.RunAsync("run", "-d", "--name", name, "--health-cmd", "sleep 30", "--health-interval", "1s", "--health-timeout", "60s", "--rootfs", rootfs, "sh", "-c", "sleep 3")).AssertSuccess();
        string id = (await skiff.RunAsync("inspect", "--format", "{{.Id}}", name)).AssertSuccess().Stdout.Trim();
        int monitor = await MonitorRelayTests.MonitorPidAsync(skiff, name);

        (int Pid, string Start) check = default;
        await Poll.UntilAsync(() => Task.FromResult((check = FindCheck(id)).Pid > 0), Generous);
        Assert.Equal(monitor, ParentOf(check.Pid));
        if (relayed)
        {
            // Handed over while the check runs: skiff-relay got its pid.
            await Poll.UntilAsync(() => Task.FromResult(MonitorRelayTests.ProgramOf(monitor) == "skiff-relay"), Generous);
            Assert.Equal(check.Start, StartOf(check.Pid));
        }
        else
        {
            Assert.NotEqual("skiff-relay", MonitorRelayTests.ProgramOf(monitor));
        }

        // Looked at as soon as the monitor's process ended (a zombie itself then: this machine's init reaps its orphans
        // only now and then, so an orphaned check would still show).
        Assert.Equal("0", (await skiff.RunAsync("wait", name)).AssertSuccess().Stdout.Trim());
        await Poll.UntilAsync(() => Task.FromResult(StatOf(monitor) is null or ["Z", ..]), Generous);
        AssertGone(id, check);
        Assert.Equal("exited starting 0", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}} {{.State.Health.Status}} {{len .State.Health.Log}}", name)).AssertSuccess().Stdout.Trim());

        (await skiff.RunAsync("rm", name)).AssertSuccess();
    }

    private static void AssertGone(string id, (int Pid, string Start) check)
    {
        Assert.Equal(0, FindCheck(id).Pid);
        Assert.True(StartOf(check.Pid) != check.Start, $"the check's process {check.Pid} is still there: {string.Join(' ', StatOf(check.Pid) ?? [])}");
    }

    /// <summary>The process running <c>healthcheck run ID</c> and its start time, or (0, "") when there is none.</summary>
    private static (int Pid, string Start) FindCheck(string id)
    {
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out int pid))
            {
                continue;
            }

            try
            {
                string[] arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
                int run = Array.IndexOf(arguments, "healthcheck");
                if (run >= 0 && run + 2 < arguments.Length && arguments[run + 1] == "run" && arguments[run + 2] == id)
                {
                    return (pid, StartOf(pid));
                }
            }
            catch (IOException)
            {
            }
        }

        return (0, string.Empty);
    }

    /// <summary>Fields of /proc/PID/stat after the command's name (state first); null when the process is gone (reaped).</summary>
    private static string[]? StatOf(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static int ParentOf(int pid) => int.Parse(StatOf(pid)?[1] ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The start time in clock ticks: tells the check's process (running or a zombie) from a later one with its pid.</summary>
    private static string StartOf(int pid) => StatOf(pid)?[19] ?? string.Empty;

    private static async Task<string> StatusAsync(SkiffCli skiff, string name) =>
        (await skiff.RunAsync("inspect", "--format", "{{.State.Health.Status}}", name)).AssertSuccess().Stdout.Trim();
}

using System.Text.Json;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>The container lifecycle with the published binary, as root and rootless, on a busybox root filesystem.</summary>
[Trait("Category", "E2E")]
public sealed class ContainerLifecycleTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Exit_codes_follow_docker(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "--rm", "--rootfs", rootfs, "sh", "-c", "exit 3")).AssertExitCode(3);
        (await skiff.RunAsync("run", "--rm", "--rootfs", rootfs, "true")).AssertExitCode(0);
        (await skiff.RunAsync("run", "--rm", "--rootfs", rootfs, "no-such-command")).AssertError(127, "not found");
        (await skiff.RunAsync("run", "--rm", "--rootfs", rootfs, "/etc/notexec")).AssertError(126, "permission denied");
        (await skiff.RunAsync("run", "--rm", "--no-such-flag", "--rootfs", rootfs, "true")).AssertExitCode(125);
        // A relative working directory is refused before anything is created (docker's check), not by the runtime at start.
        (await skiff.RunAsync("run", "-w", "relative", "--rootfs", rootfs, "true")).AssertError(125, "the working directory 'relative' is invalid, it needs to be an absolute path");
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
        (await skiff.RunAsync("run", "-d", "--name", "killed", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess();
        (await skiff.RunAsync("kill", "killed")).AssertSuccess();
        Assert.Equal("137", (await skiff.RunAsync("wait", "killed")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("rm", "killed")).AssertSuccess();
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task Stdout_and_stderr_stay_separate_and_are_logged(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        ProcessResult run = (await skiff.RunAsync("run", "--name", "sep", "--rootfs", rootfs, "sh", "-c", "echo out; echo err >&2; printf partial")).AssertSuccess();
        Assert.Equal("out\npartial", run.Stdout);
        Assert.Equal("err\n", run.Stderr);

        ProcessResult logs = (await skiff.RunAsync("logs", "sep")).AssertSuccess();
        Assert.Equal("out\npartial", logs.Stdout);
        Assert.Equal("err\n", logs.Stderr);
        Assert.Equal("partial", (await skiff.RunAsync("logs", "--tail", "1", "sep")).AssertSuccess().Stdout);

        string log = File.ReadAllText((await skiff.RunAsync("inspect", "--format", "{{.LogPath}}", "sep")).AssertSuccess().Stdout.Trim());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z stdout F out$", log.Split('\n')[0]);
        (await skiff.RunAsync("rm", "sep")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Detached_container_runs_logs_stops_and_is_removed(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        ProcessResult run = (await skiff.RunAsync("run", "-d", "--name", "web", "--label", "app=web", "--rootfs", rootfs,
            "sh", "-c", "trap 'echo bye; exit 0' TERM; echo ready; while true; do sleep 0.1; done")).AssertSuccess();
        string id = run.Stdout.Trim();
        Assert.Matches("^[0-9a-f]{64}$", id);

        await Poll.UntilAsync(async () => (await skiff.RunAsync("logs", "web")).Stdout.Contains("ready"));
        ProcessResult ps = (await skiff.RunAsync("ps", "--filter", "label=app=web", "--format", "{{.ID}} {{.Names}} {{.State}}")).AssertSuccess();
        Assert.Equal($"{id[..12]} web running", ps.Stdout.Trim());

        using (JsonDocument inspect = JsonDocument.Parse((await skiff.RunAsync("inspect", "web")).AssertSuccess().Stdout))
        {
            JsonElement container = inspect.RootElement[0];
            Assert.Equal(id, container.GetProperty("Id").GetString());
            Assert.Equal("web", container.GetProperty("Name").GetString());
            Assert.True(container.GetProperty("State").GetProperty("Running").GetBoolean());
            Assert.True(container.GetProperty("State").GetProperty("Pid").GetInt32() > 0);
        }

        (await skiff.RunAsync("stop", "web")).AssertSuccess();
        Assert.Equal("exited 0", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "web")).AssertSuccess().Stdout.Trim());
        Assert.Contains("bye", (await skiff.RunAsync("logs", "web")).AssertSuccess().Stdout);
        Assert.Empty((await skiff.RunAsync("ps", "-q")).AssertSuccess().StdoutLines);
        (await skiff.RunAsync("run", "-d", "--name", "web", "--rootfs", rootfs, "true")).AssertError(125, "already in use");
        (await skiff.RunAsync("rm", "web")).AssertSuccess();
        (await skiff.RunAsync("inspect", "web")).AssertError(125, "no such object");
    }

    [Theory, RootAndRootless]
    public async Task Rm_refuses_a_running_container_without_force(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "-d", "--name", "busy", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess();
        (await skiff.RunAsync("rm", "busy")).AssertError(2, "running");
        (await skiff.RunAsync("rm", "-f", "busy")).AssertSuccess();
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task Killing_the_monitor_and_container_shows_the_truth(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "-d", "--name", "orphan", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess();
        string[] pids = (await skiff.RunAsync("inspect", "--format", "{{.State.ConmonPid}} {{.State.Pid}}", "orphan")).AssertSuccess().Stdout.Trim().Split(' ');
        (await TestProcess.RunAsync(new ProcessSpec("kill", ["-9", pids[0]]), output)).AssertSuccess();
        await Poll.UntilAsync(() => Task.FromResult(!Directory.Exists($"/proc/{pids[0]}")));
        Assert.Equal("running", (await skiff.RunAsync("ps", "--format", "{{.State}}")).AssertSuccess().Stdout.Trim());

        (await TestProcess.RunAsync(new ProcessSpec("kill", ["-9", pids[1]]), output)).AssertSuccess();
        await Poll.UntilAsync(async () => (await skiff.RunAsync("ps", "-q")).StdoutLines.Count == 0);
        Assert.Equal("exited", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}}", "orphan")).AssertSuccess().Stdout.Trim());
        string id = (await skiff.RunAsync("inspect", "--format", "{{.Id}}", "orphan")).AssertSuccess().Stdout.Trim();
        (await skiff.RunAsync("rm", "orphan")).AssertSuccess();

        // The dead monitor could not stop the network helper (pasta, named after the container's
        // directory): the command that noticed the death did.
        for (int i = 0; i < 50 && ProcessesMentioning(id).Count > 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Empty(ProcessesMentioning(id));
    }

    /// <summary>Command lines of the processes whose argv mentions <paramref name="text"/>.</summary>
    private static List<string> ProcessesMentioning(string text)
    {
        var found = new List<string>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                string cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(text, StringComparison.Ordinal))
                {
                    found.Add(cmdline);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    [Theory, RootAndRootless]
    public async Task Hundred_megabytes_of_output_neither_deadlock_nor_go_missing(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        string flags = rootless ? string.Empty : $"--root {skiff.Sandbox.StorageRoot} --runroot {skiff.Sandbox.RunRoot}";
        ProcessResult counted = (await skiff.ExecAsync(
            "sh",
            ["-c", $"{skiff.Binary} {flags} run --name big --rootfs {rootfs} sh -c 'yes 0123456789abcdef | head -c 104857600' | wc -c; {skiff.Binary} {flags} logs big | wc -c"],
            null,
            TimeSpan.FromMinutes(3))).AssertSuccess();
        Assert.Equal(["104857600", "104857600"], counted.StdoutLines.Select(l => l.Trim()).ToList());
    }

    [Theory, RootAndRootless]
    public async Task Tty_run_is_a_real_terminal(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        string flags = rootless ? string.Empty : $"--root {skiff.Sandbox.StorageRoot} --runroot {skiff.Sandbox.RunRoot}";
        ProcessResult run = await skiff.ExecAsync(
            "script",
            ["-qec", $"stty cols 91 rows 27; {skiff.Binary} {flags} run -it --rm --rootfs {rootfs} sh -c 'tty; stty size; exit 6'", "/dev/null"],
            null,
            TimeSpan.FromMinutes(1));
        run.AssertExitCode(6);
        Assert.Contains("/dev/pts/0", run.Stdout);
        Assert.Contains("27 91", run.Stdout);
    }

    [Theory, RootAndRootless]
    public async Task Commands_typed_at_a_terminal_leave_its_modes_alone(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        string flags = rootless ? string.Empty : $"--root {skiff.Sandbox.StorageRoot} --runroot {skiff.Sandbox.RunRoot}";
        (await skiff.RunAsync("run", "--name", "said", "--rootfs", rootfs, "echo", "hello")).AssertSuccess();

        // stdin is the terminal here, as for a user typing: nothing but the output may reach it (.NET's console
        // streams wrote keypad_xmit, ESC [?1h ESC =, and left the cursor keys in application mode).
        ProcessResult typed = await skiff.ExecAsync(
            "script",
            ["-qec", $"export TERM=xterm; {skiff.Binary} {flags} ps -a; {skiff.Binary} {flags} logs said; {skiff.Binary} {flags} rm nosuch", "/dev/null"],
            null,
            TimeSpan.FromMinutes(1));
        typed.AssertExitCode(1);
        Assert.Contains("CONTAINER ID", typed.Stdout);
        Assert.Contains("hello", typed.Stdout);
        Assert.Contains("Error: no container with name or ID \"nosuch\" found", typed.Stdout);
        Assert.DoesNotContain("\u001b", typed.Stdout);
        (await skiff.RunAsync("rm", "said")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Foreground_run_forwards_signals(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        string flags = rootless ? string.Empty : $"--root {skiff.Sandbox.StorageRoot} --runroot {skiff.Sandbox.RunRoot}";
        ProcessResult run = (await skiff.ExecAsync(
            "sh",
            ["-c", $"{skiff.Binary} {flags} run --rm --rootfs {rootfs} sh -c 'trap \"echo got-term; exit 9\" TERM; echo started; while true; do sleep 0.1; done' > {skiff.Sandbox.Work}/out & p=$!; "
                + $"while ! grep -q started {skiff.Sandbox.Work}/out; do sleep 0.1; done; kill -TERM $p; wait $p; echo rc=$?; cat {skiff.Sandbox.Work}/out"],
            null,
            TimeSpan.FromMinutes(1))).AssertSuccess();
        Assert.Contains("rc=9", run.Stdout);
        Assert.Contains("got-term", run.Stdout);
    }

    [Theory, RootAndRootless]
    public async Task Fifty_parallel_starts_leave_a_consistent_store(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        ProcessResult[] runs = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            skiff.RunAsync(["run", "-d", "--name", $"p{i}", "--rootfs", rootfs, "sleep", "1000"], (string?)null, TimeSpan.FromMinutes(3))));
        foreach (ProcessResult run in runs)
        {
            run.AssertSuccess();
        }

        Assert.Equal(50, (await skiff.RunAsync("ps", "-q")).AssertSuccess().StdoutLines.Count);
        ProcessResult removed = (await skiff.RunAsync(["rm", "-f", .. Enumerable.Range(0, 50).Select(i => $"p{i}")], (string?)null, TimeSpan.FromMinutes(3))).AssertSuccess();
        Assert.Equal(50, removed.StdoutLines.Count);
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }

    [Fact]
    public async Task Exec_runs_in_a_running_container_with_its_exit_code()
    {
        using var skiff = new SkiffCli(output, rootless: false);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "-d", "--name", "ex", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess();
        ProcessResult exec = await skiff.RunAsync("exec", "-e", "FOO=bar", "-w", "/tmp", "ex", "sh", "-c", "echo $FOO $(pwd); echo err >&2; exit 4");
        exec.AssertExitCode(4);
        Assert.Equal("bar /tmp\n", exec.Stdout);
        Assert.Equal("err\n", exec.Stderr);
        Assert.Equal("hi\n", (await skiff.RunAsync(["exec", "-i", "ex", "cat"], "hi\n")).AssertSuccess().Stdout);
        (await skiff.RunAsync("exec", "ex", "no-such-command")).AssertError(127, "not found");
        (await skiff.RunAsync("rm", "-f", "ex")).AssertSuccess();
        (await skiff.RunAsync("exec", "ex", "true")).AssertError(125, "no such container");
    }
}

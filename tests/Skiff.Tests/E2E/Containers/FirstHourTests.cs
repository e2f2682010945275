using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// What a new user with docker or podman habits ran into in a first hour with skiff (the audit of issues 3 and 4),
/// each checked against podman 4.3 on this machine: the same exit code, and an error that says what is wrong.
/// </summary>
[Trait("Category", "E2E")]
public sealed class FirstHourTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Wait_prints_the_exit_code_of_a_container_removed_as_it_ended(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        (await skiff.RunAsync("run", "--rm", "-d", "--name", "gone", "--network", "none", "busybox", "sh", "-c", "until [ -e /tmp/go ]; do sleep 0.1; done; exit 3")).AssertSuccess();

        Task<ProcessResult> wait = skiff.RunAsync("wait", "gone");
        // The container ends only when told to, after wait has had time to find it (a wait that starts after the
        // removal finds no container, as podman's does).
        await Task.Delay(TimeSpan.FromSeconds(2));
        (await skiff.RunAsync("exec", "gone", "touch", "/tmp/go")).AssertSuccess();

        // podman prints 3 (it keeps removed containers' exit codes); skiff printed the running state's 0.
        Assert.Equal("3\n", (await wait).AssertSuccess().Stdout);
        Assert.Equal(string.Empty, (await skiff.RunAsync("ps", "-aq")).AssertSuccess().Stdout);
    }

    [Theory, RootAndRootless]
    public async Task Stop_says_when_the_container_ignored_its_stop_signal_and_was_killed(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        // httpd as PID 1 has no handler for SIGTERM, so the kernel drops it: the stop takes the whole timeout.
        (await skiff.RunAsync("run", "-d", "--name", "web", "--network", "none", "busybox", "httpd", "-f", "-p", "80")).AssertSuccess();
        ProcessResult stop = (await skiff.RunAsync("stop", "-t", "1", "web")).AssertSuccess();
        Assert.Equal("web\n", stop.Stdout);
        Assert.Equal("Warning: StopSignal SIGTERM failed to stop container web in 1 seconds, resorting to SIGKILL\n", stop.Stderr);
        Assert.Equal("137\n", (await skiff.RunAsync("inspect", "-f", "{{.State.ExitCode}}", "web")).AssertSuccess().Stdout);

        // With an init that hands SIGTERM on, the command ends on it and nothing is said.
        (await skiff.RunAsync("run", "-d", "--init", "--name", "quiet", "--network", "none", "busybox", "sleep", "1000")).AssertSuccess();
        stop = (await skiff.RunAsync("stop", "-t", "30", "quiet")).AssertSuccess();
        Assert.Equal(string.Empty, stop.Stderr);
        (await skiff.RunAsync("rm", "web", "quiet")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Kill_takes_all_as_podman_does(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        (await skiff.RunAsync("run", "-d", "--name", "one", "--network", "none", "busybox", "sleep", "1000")).AssertSuccess();
        (await skiff.RunAsync("run", "-d", "--name", "two", "--network", "none", "busybox", "sleep", "1000")).AssertSuccess();
        (await skiff.RunAsync("create", "--name", "idle", "--network", "none", "busybox", "true")).AssertSuccess();

        (await skiff.RunAsync("kill", "--all", "one")).AssertError(125, "no arguments are needed with --all");
        (await skiff.RunAsync("kill")).AssertError(125, "you must provide at least one name or id");
        // Only the running ones: the created container is not an error.
        ProcessResult killed = (await skiff.RunAsync("kill", "--all")).AssertSuccess();
        Assert.Equal(2, killed.StdoutLines.Count);
        Assert.Equal(new[] { "137", "137" }, (await skiff.RunAsync("wait", "one", "two")).AssertSuccess().StdoutLines);
        Assert.Equal("created\n", (await skiff.RunAsync("inspect", "-f", "{{.State.Status}}", "idle")).AssertSuccess().Stdout);
        (await skiff.RunAsync("rm", "one", "two", "idle")).AssertSuccess();
    }

    [Fact]
    public async Task Pause_and_unpause_take_all_as_podman_does()
    {
        // Root only: rootless containers on these cgroup v1 machines cannot be frozen.
        using var skiff = new SkiffCli(output, rootless: false);
        await skiff.ImportBusyboxAsync("busybox");
        (await skiff.RunAsync("run", "-d", "--name", "one", "--network", "none", "busybox", "sleep", "1000")).AssertSuccess();
        (await skiff.RunAsync("run", "-d", "--name", "two", "--network", "none", "busybox", "sleep", "1000")).AssertSuccess();

        (await skiff.RunAsync("pause", "--all", "one")).AssertError(125, "no arguments are needed with --all");
        (await skiff.RunAsync("pause", "one")).AssertSuccess();
        // The one already paused is left out, not an error.
        Assert.Single((await skiff.RunAsync("pause", "--all")).AssertSuccess().StdoutLines);
        Assert.Equal(new[] { "one=paused", "two=paused" }, (await skiff.RunAsync("ps", "--format", "{{.Names}}={{.State}}")).AssertSuccess().StdoutLines.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(2, (await skiff.RunAsync("unpause", "--all")).AssertSuccess().StdoutLines.Count);
        Assert.Equal(new[] { "one=running", "two=running" }, (await skiff.RunAsync("ps", "--format", "{{.Names}}={{.State}}")).AssertSuccess().StdoutLines.Order(StringComparer.Ordinal).ToArray());
        (await skiff.RunAsync("unpause", "--all")).AssertSuccess();
        (await skiff.RunAsync("rm", "-f", "-t", "0", "one", "two")).AssertSuccess();
    }

    [Fact]
    public async Task A_bind_source_the_user_cannot_reach_is_refused_as_not_reachable_rather_than_missing()
    {
        using var skiff = new SkiffCli(output, rootless: true);
        await skiff.ImportBusyboxAsync("busybox");
        // A directory of root's, mode 0700 (as /root is): the user's own mode-000 directory would not do, since skiff
        // runs as root of the user's namespace, where the owner's files are open to it.
        Assert.True(TestEnvironment.IsRoot, "the test makes a directory of root's; run it as root");
        string closed = Path.Combine(skiff.Sandbox.Work, "closed");
        string inside = Path.Combine(closed, "inside");
        Directory.CreateDirectory(inside);
        File.SetUnixFileMode(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            (await skiff.RunAsync("run", "--rm", "--network", "none", "-v", $"{inside}:/x", "busybox", "true"))
                .AssertError(125, $"the source path \"{inside}\" cannot be reached: permission denied");
            (await skiff.RunAsync("run", "--rm", "--network", "none", "--mount", $"type=bind,src={inside},dst=/x", "busybox", "true"))
                .AssertError(125, "cannot be reached: permission denied");
            // A path that is not there is still reported as missing.
            (await skiff.RunAsync("run", "--rm", "--network", "none", "-v", $"{skiff.Sandbox.Work}/nosuch:/x", "busybox", "true"))
                .AssertError(125, "does not exist");
        }
        finally
        {
            Directory.Delete(closed, recursive: true);
        }
    }
}

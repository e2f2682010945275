using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// run/create --timeout as podman 4.3 (conmon): the monitor kills the container (SIGKILL) once it has run that long,
/// from each start; the exit is recorded as -1 (run and start -a exit 255), in the foreground, detached (after the
/// monitor handed over to skiff-relay) and with --rm. Root and rootless.
/// </summary>
[Trait("Category", "E2E")]
public sealed class RunTimeoutTests(ITestOutputHelper output)
{
    // Far more than the container's 2 seconds on a loaded machine; the container's own command would take 10 minutes.
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    [Theory, RootAndRootless]
    public async Task A_container_is_killed_at_its_timeout_from_each_start(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await skiff.ImportBusyboxAsync();

        // The TERM trap would print and exit 3 on SIGTERM: the kill is SIGKILL.
        ProcessResult foreground = await skiff.RunAsync(
            ["run", "--name", "fg", "--network", "none", "--timeout", "2", image, "sh", "-c", "trap 'echo got-term; exit 3' TERM; sleep 600 & wait"], (string?)null, Bound);
        Assert.Equal(255, foreground.ExitCode);
        Assert.DoesNotContain("got-term", foreground.Stdout, StringComparison.Ordinal);
        Assert.Equal("-1 false  2", (await skiff.RunAsync("inspect", "--format", "{{.State.ExitCode}} {{.State.OOMKilled}} {{.State.Error}} {{.Config.Timeout}}", "fg")).AssertSuccess().Stdout.Trim());
        Assert.StartsWith("Exited (-1)", (await skiff.RunAsync("ps", "-a", "--filter", "name=fg", "--format", "{{.Status}}")).AssertSuccess().Stdout, StringComparison.Ordinal);

        // The timer starts again with the container.
        Assert.Equal(255, (await skiff.RunAsync(["start", "-a", "fg"], (string?)null, Bound)).ExitCode);

        // Detached: the monitor has handed the container over to skiff-relay (after a second) when the time is up.
        (await skiff.RunAsync("run", "-d", "--name", "bg", "--network", "none", "--timeout", "2", image, "sleep", "600")).AssertSuccess();
        Assert.Equal("-1", (await skiff.RunAsync(["wait", "bg"], (string?)null, Bound)).AssertSuccess().Stdout.Trim());
        Assert.Equal("exited -1", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "bg")).AssertSuccess().Stdout.Trim());

        // --rm: removed once killed, with the code recorded for wait.
        (await skiff.RunAsync("run", "-d", "--rm", "--name", "gone", "--network", "none", "--timeout", "2", image, "sleep", "600")).AssertSuccess();
        Assert.Equal("-1", (await skiff.RunAsync(["wait", "gone"], (string?)null, Bound)).AssertSuccess().Stdout.Trim());
        Assert.Equal(125, (await skiff.RunAsync("inspect", "gone")).ExitCode);

        // A container that ends first keeps its own code; 0 is no limit.
        Assert.Equal(7, (await skiff.RunAsync("run", "--rm", "--network", "none", "--timeout", "600", image, "sh", "-c", "exit 7")).ExitCode);
        (await skiff.RunAsync("create", "--name", "unlimited", "--timeout", "0", image, "true")).AssertSuccess();
        Assert.Equal("0", (await skiff.RunAsync("inspect", "--format", "{{.Config.Timeout}}", "unlimited")).AssertSuccess().Stdout.Trim());
    }

    [Theory, RootAndRootless]
    public async Task A_timeout_that_is_not_a_whole_number_is_refused_before_anything_is_created(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await skiff.ImportBusyboxAsync();

        (await skiff.RunAsync("run", "--timeout", "-1", image, "true")).AssertError(125, "invalid argument \"-1\" for \"--timeout\" flag: strconv.ParseUint: parsing \"-1\": invalid syntax");
        (await skiff.RunAsync("create", "--name", "bad", "--timeout", "2s", image, "true")).AssertError(125, "parsing \"2s\": invalid syntax");
        Assert.Equal(string.Empty, (await skiff.RunAsync("ps", "-aq")).AssertSuccess().Stdout);
    }
}

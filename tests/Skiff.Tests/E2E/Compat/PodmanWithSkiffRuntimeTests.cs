using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Compat;

/// <summary>
/// skiff's built-in runtime as podman's OCI runtime (<c>podman --runtime WRAPPER</c>, the wrapper running
/// <c>skiff oci "$@"</c>): podman and conmon drive it with the runc command line (create --bundle --pid-file
/// [--console-socket], start, kill, delete --force, exec --process --detach --pid-file, pause/resume), so
/// this is the strongest runtime-conformance check available on this machine.
/// </summary>
[Trait("Category", "E2E")]
public sealed class PodmanWithSkiffRuntimeTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Podman_runs_foreground_containers_with_skiffs_runtime_and_their_exit_codes(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        using var podman = new PodmanCli(skiff);
        string image = await podman.ImportBusyboxAsync();
        string[] run = ["--runtime", podman.WriteSkiffRuntimeWrapper(), "run", "--rm", .. PodmanCli.UlimitFlags, "--network", "none"];

        ProcessResult probe = (await podman.RunAsync([.. run, image, "sh", "-c", "echo pid=$$; echo out; echo err >&2; grep -E '^CapEff' /proc/self/status; exit 3"])).AssertExitCode(3);
        Assert.Contains("pid=1", probe.StdoutLines);
        Assert.Contains("out", probe.StdoutLines);
        Assert.Contains("err", probe.Stderr);
        Assert.Contains("CapEff:\t00000000800405fb", probe.StdoutLines);

        // podman maps the runtime's error text to its exit codes, as it does for runc's.
        (await podman.RunAsync([.. run, image, "no-such-program"])).AssertError(127, "not found");
        (await podman.RunAsync([.. run, image, "/etc/passwd"])).AssertError(126, "permission denied");

        if (!rootless)
        {
            // podman's default network as root: a netns bind-mounted under /run/netns, joined by path.
            ProcessResult network = (await podman.RunAsync(["--runtime", podman.WriteSkiffRuntimeWrapper(), "run", "--rm", .. PodmanCli.UlimitFlags, image, "cat", "/proc/net/dev"])).AssertSuccess();
            Assert.Contains("eth0", network.Stdout);
        }
    }

    [Theory, RootAndRootless]
    public async Task Podman_detaches_execs_stops_and_removes_with_skiffs_runtime(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        using var podman = new PodmanCli(skiff);
        string image = await podman.ImportBusyboxAsync();
        string runtime = podman.WriteSkiffRuntimeWrapper();
        string name = "svc-" + Guid.NewGuid().ToString("N")[..8];

        (await podman.RunAsync(["--runtime", runtime, "run", "-d", "--name", name, .. PodmanCli.UlimitFlags, "--network", "none", image, "sleep", "300"])).AssertSuccess();
        Assert.Equal("running", (await podman.RunAsync("inspect", "-f", "{{.State.Status}}", name)).AssertSuccess().Stdout.Trim());

        // conmon runs `exec --process FILE --detach --pid-file F`; the exit code comes back through it.
        Assert.Equal("inside", (await podman.RunAsync("exec", name, "echo", "inside")).AssertSuccess().Stdout.Trim());
        (await podman.RunAsync("exec", name, "sh", "-c", "exit 5")).AssertExitCode(5);
        (await podman.RunAsync("exec", name, "no-such-program")).AssertExitCode(127);
        ProcessResult options = (await podman.RunAsync("exec", "-u", "65534", "-w", "/tmp", "-e", "FOO=bar", name, "sh", "-c", "id -u; pwd; echo $FOO")).AssertSuccess();
        Assert.Equal(["65534", "/tmp", "bar"], options.StdoutLines);

        if (!rootless)
        {
            // Rootless podman gives containers no cgroup on this cgroup v1 machine, so pause is root only.
            (await podman.RunAsync("pause", name)).AssertSuccess();
            Assert.Equal("paused", (await podman.RunAsync("inspect", "-f", "{{.State.Status}}", name)).AssertSuccess().Stdout.Trim());
            (await podman.RunAsync("unpause", name)).AssertSuccess();
            Assert.Equal("inside", (await podman.RunAsync("exec", name, "echo", "inside")).AssertSuccess().Stdout.Trim());
        }

        // sleep as pid 1 ignores SIGTERM, so stop ends with SIGKILL after the timeout: 137.
        (await podman.RunAsync("stop", "-t", "1", name)).AssertSuccess();
        Assert.Equal("exited 137", (await podman.RunAsync("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", name)).AssertSuccess().Stdout.Trim());
        (await podman.RunAsync("rm", name)).AssertSuccess();
        (await podman.RunAsync("inspect", name)).AssertExitCode(125);

        // kill -s KILL of a running container, then wait reports 137 too.
        (await podman.RunAsync(["--runtime", runtime, "run", "-d", "--name", name, .. PodmanCli.UlimitFlags, "--network", "none", image, "sleep", "300"])).AssertSuccess();
        (await podman.RunAsync("kill", "-s", "KILL", name)).AssertSuccess();
        Assert.Equal("137", (await podman.RunAsync("wait", name)).AssertSuccess().Stdout.Trim());
        (await podman.RunAsync("rm", name)).AssertSuccess();
    }
}

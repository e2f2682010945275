using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary><c>skiff exec</c> into a container from a stored image, as root and rootless (where exec joins the monitor's namespaces).</summary>
[Trait("Category", "E2E")]
public sealed class ExecTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Exec_runs_processes_in_a_running_container(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await skiff.ImportBusyboxAsync();
        (await skiff.RunAsync("run", "-d", "--name", "web", image, "sleep", "1000")).AssertSuccess();

        ProcessResult exec = await skiff.RunAsync("exec", "-e", "FOO=bar", "-w", "/tmp", "web", "sh", "-c", "echo $FOO $(pwd) $(id -u); echo err >&2; exit 4");
        exec.AssertExitCode(4);
        Assert.Equal("bar /tmp 0\n", exec.Stdout);
        Assert.Equal("err\n", exec.Stderr);
        Assert.Equal("1000:1000\n", (await skiff.RunAsync("exec", "-u", "1000:1000", "web", "sh", "-c", "echo $(id -u):$(id -g)")).AssertSuccess().Stdout);
        Assert.Equal("hi\n", (await skiff.RunAsync(["exec", "-i", "web", "cat"], "hi\n")).AssertSuccess().Stdout);
        (await skiff.RunAsync("exec", "web", "no-such-command")).AssertError(127, "not found");
        (await skiff.RunAsync("exec", "web", "/etc/passwd")).AssertError(126, "permission denied");
        (await skiff.RunAsync("exec", "-w", "/no/such/dir", "web", "pwd")).AssertError(126, "cannot change to the working directory \"/no/such/dir\": no such file or directory");

        // The exec'd process shares the container's pid namespace and root.
        Assert.Contains("sleep 1000", (await skiff.RunAsync("exec", "web", "cat", "/proc/1/cmdline")).AssertSuccess().Stdout.Replace('\0', ' '));

        (await skiff.RunAsync("exec", "-d", "web", "sh", "-c", "echo detached > /tmp/d")).AssertSuccess();
        await Poll.UntilAsync(async () => (await skiff.RunAsync("exec", "web", "cat", "/tmp/d")).Stdout == "detached\n", TimeSpan.FromSeconds(10));

        // The window size reaches the pty once the runtime hands it over, which can be just after the
        // process started (docker resizes after start too): the probe waits a moment before stty.
        string flags = string.Join(' ', skiff.StoreFlags());
        ProcessResult tty = await skiff.ExecAsync(
            "script",
            ["-qec", $"stty cols 77 rows 22; {skiff.Binary} {flags} exec -it web sh -c 'tty; sleep 0.3; stty size; echo T=$TERM; exit 5'", "/dev/null"],
            null,
            TimeSpan.FromMinutes(1));
        tty.AssertExitCode(5);
        Assert.Contains("/dev/pts/", tty.Stdout);
        Assert.Contains("22 77", tty.Stdout);
        Assert.Contains("T=xterm", tty.Stdout);

        // -t without -i: the container's pty turns "\n" into "\r\n" once; neither a pipe nor our own
        // terminal may translate it again (podman gives "hi\r\n" both ways).
        Assert.Equal("hi\r\n", (await skiff.RunAsync("exec", "-t", "web", "echo", "hi")).AssertSuccess().Stdout);
        ProcessResult ttyOnly = await skiff.ExecAsync("script", ["-qec", $"{skiff.Binary} {flags} exec -t web echo hi", "/dev/null"], null, TimeSpan.FromMinutes(1));
        ttyOnly.AssertSuccess();
        Assert.Equal("hi\r\n", ttyOnly.Stdout);
        ProcessResult runTtyOnly = await skiff.ExecAsync("script", ["-qec", $"{skiff.Binary} {flags} run --rm -t --network none {image} echo hi", "/dev/null"], null, TimeSpan.FromMinutes(1));
        runTtyOnly.AssertSuccess();
        Assert.Equal("hi\r\n", runTtyOnly.Stdout);

        (await skiff.RunAsync("stop", "-t", "1", "web")).AssertSuccess();
        (await skiff.RunAsync("exec", "web", "true")).AssertError(255, "can only create exec sessions on running containers");
        (await skiff.RunAsync("rm", "web")).AssertSuccess();
        (await skiff.RunAsync("exec", "web", "true")).AssertError(125, "no such container");
    }
}

using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>A foreground run's <c>-a/--attach</c> streams and <c>--sig-proxy=false</c>, as podman 4.3 (root and rootless).</summary>
[Trait("Category", "E2E")]
public sealed class RunAttachTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Run_it_with_an_input_that_is_not_a_terminal_warns_and_goes_on(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        const string Warning = "Warning: The input device is not a TTY. The --tty and --interactive flags might not work properly";

        ProcessResult it = await skiff.RunAsync(["run", "--rm", "-it", "--rootfs", rootfs, "sh", "-c", "exit 4"], "");
        it.AssertExitCode(4);
        Assert.Equal(Warning, it.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0]);

        // As podman: only both flags together, on run.
        ProcessResult tty = await skiff.RunAsync(["run", "--rm", "-t", "--rootfs", rootfs, "true"], "");
        Assert.DoesNotContain("not a TTY", tty.Stderr);
        ProcessResult interactive = await skiff.RunAsync(["run", "--rm", "-i", "--rootfs", rootfs, "true"], "");
        Assert.DoesNotContain("not a TTY", interactive.Stderr);
    }

    [Theory, RootAndRootless]
    public async Task Attach_shows_only_the_streams_asked_for_and_the_log_keeps_all(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        const string script = "echo out; echo err >&2; exit 3";

        ProcessResult stdout = await skiff.RunAsync("run", "--name", "a1", "-a", "stdout", "--rootfs", rootfs, "sh", "-c", script);
        stdout.AssertExitCode(3);
        Assert.Equal("out\n", stdout.Stdout);
        Assert.Equal(string.Empty, stdout.Stderr);
        ProcessResult logs = (await skiff.RunAsync("logs", "a1")).AssertSuccess();
        Assert.Equal("out\n", logs.Stdout);
        Assert.Equal("err\n", logs.Stderr);

        ProcessResult stderr = await skiff.RunAsync("run", "--rm", "-a", "STDERR", "--rootfs", rootfs, "sh", "-c", script);
        stderr.AssertExitCode(3);
        Assert.Equal(string.Empty, stderr.Stdout);
        Assert.Equal("err\n", stderr.Stderr);

        ProcessResult both = await skiff.RunAsync("run", "--rm", "-a", "stdout", "-a", "stderr", "--rootfs", rootfs, "sh", "-c", script);
        Assert.Equal("out\n", both.Stdout);
        Assert.Equal("err\n", both.Stderr);

        // stdin follows -i, as podman: -i -a stdout still sends it, -a stdin without -i does not.
        Assert.Equal("hi\n", (await skiff.RunAsync(["run", "--rm", "-i", "-a", "stdout", "--rootfs", rootfs, "cat"], "hi\n")).AssertSuccess().Stdout);
        Assert.Equal("done\n", (await skiff.RunAsync(["run", "--rm", "-a", "stdin", "-a", "stdout", "--rootfs", rootfs, "sh", "-c", "cat; echo done"], "hi\n")).AssertSuccess().Stdout);

        (await skiff.RunAsync("run", "--name", "bad", "-a", "foo", "--rootfs", rootfs, "true"))
            .AssertError(125, "invalid stream \"foo\" for --attach - must be one of stdin, stdout, or stderr");
        Assert.Equal(["a1"], (await skiff.RunAsync("ps", "-a", "--format", "{{.Names}}")).AssertSuccess().StdoutLines);
        (await skiff.RunAsync("rm", "a1")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Without_sig_proxy_a_signal_ends_the_run_and_the_container_keeps_running(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        string flags = string.Join(' ', skiff.StoreFlags());
        string out1 = Path.Combine(skiff.Sandbox.Work, "out1");

        // set -m: a background job of a shell without job control would start with SIGINT ignored.
        string Run(string name, string proxy, string signal, string outFile) =>
            $"set -m; {skiff.Binary} {flags} run --name {name} {proxy} --rootfs {rootfs} sh -c 'trap \"echo got-$0; exit 0\" INT TERM; echo started; while true; do sleep 0.1; done' {signal} > {outFile} & p=$!; "
            + $"while ! grep -q started {outFile}; do sleep 0.1; done; kill -{signal} $p; wait $p; echo rc=$?";

        ProcessResult interrupted = (await skiff.ExecAsync("bash", ["-c", Run("int", "--sig-proxy=false", "INT", out1)], null, TimeSpan.FromMinutes(1))).AssertSuccess();
        Assert.Contains("rc=1", interrupted.Stdout);
        string out2 = Path.Combine(skiff.Sandbox.Work, "out2");
        ProcessResult terminated = (await skiff.ExecAsync("bash", ["-c", Run("term", "--sig-proxy=false", "TERM", out2)], null, TimeSpan.FromMinutes(1))).AssertSuccess();
        Assert.Contains("rc=0", terminated.Stdout);

        // Both still run, and neither got the signal.
        Assert.Equal(["int", "term"], (await skiff.RunAsync("ps", "--format", "{{.Names}}")).AssertSuccess().StdoutLines.Order().ToArray());
        Assert.Equal("started\n", (await skiff.RunAsync("logs", "int")).AssertSuccess().Stdout);
        Assert.Equal("started\n", (await skiff.RunAsync("logs", "term")).AssertSuccess().Stdout);

        // The default forwards it: the container's trap runs.
        string out3 = Path.Combine(skiff.Sandbox.Work, "out3");
        Assert.Contains("rc=0", (await skiff.ExecAsync("bash", ["-c", Run("proxied", string.Empty, "INT", out3)], null, TimeSpan.FromMinutes(1))).AssertSuccess().Stdout);
        Assert.Equal("started\ngot-INT\n", File.ReadAllText(out3));

        (await skiff.RunAsync("rm", "-f", "-t", "0", "int", "term", "proxied")).AssertSuccess();
    }
}

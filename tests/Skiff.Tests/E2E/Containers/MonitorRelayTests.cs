using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// A container that runs longer than a second is handed from its monitor (skiff) to skiff-relay, which
/// relays its output and execs skiff again when it ends. These containers outlive the handover on purpose.
/// </summary>
[Trait("Category", "E2E")]
public sealed class MonitorRelayTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task A_relayed_container_is_logged_and_its_exit_recorded(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "-d", "--name", "k8s", "--rootfs", rootfs, "sh", "-c", "echo before; trap 'echo after; echo err >&2; exit 7' USR1; while true; do sleep 0.1; done")).AssertSuccess();
        (await skiff.RunAsync("run", "-d", "--name", "json", "--log-driver", "json-file", "--rootfs", rootfs, "sh", "-c", "echo one; trap 'printf two; exit 0' TERM; while true; do sleep 0.1; done")).AssertSuccess();
        int monitor = await MonitorPidAsync(skiff, "k8s");
        await Poll.UntilAsync(() => Task.FromResult(ProgramOf(monitor) == "skiff-relay"));
        await Poll.UntilAsync(async () => ProgramOf(await MonitorPidAsync(skiff, "json")) == "skiff-relay");

        (await skiff.RunAsync("kill", "-s", "USR1", "k8s")).AssertSuccess();
        Assert.Equal("7", (await skiff.RunAsync("wait", "k8s")).AssertSuccess().Stdout.Trim());
        ProcessResult logs = (await skiff.RunAsync("logs", "k8s")).AssertSuccess();
        Assert.Equal("before\nafter\n", logs.Stdout);
        Assert.Equal("err\n", logs.Stderr);
        Assert.Equal("exited 7", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "k8s")).AssertSuccess().Stdout.Trim());
        await Poll.UntilAsync(() => Task.FromResult(!Directory.Exists($"/proc/{monitor}")));

        (await skiff.RunAsync("stop", "json")).AssertSuccess();
        Assert.Equal("exited 0", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "json")).AssertSuccess().Stdout.Trim());
        Assert.Equal("one\ntwo", (await skiff.RunAsync("logs", "json")).AssertSuccess().Stdout);
        (await skiff.RunAsync("rm", "k8s", "json")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task An_attached_run_gets_output_and_exit_code_across_the_handover(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        ProcessResult run = (await skiff.RunAsync("run", "--name", "fg", "--rootfs", rootfs, "sh", "-c", "echo early; sleep 2.5; echo late; echo oops >&2; exit 3")).AssertExitCode(3);
        Assert.Equal("early\nlate\n", run.Stdout);
        Assert.Equal("oops\n", run.Stderr);
        Assert.Equal("early\nlate\n", (await skiff.RunAsync("logs", "fg")).AssertSuccess().Stdout);

        // Input through the relay, and --rm done by skiff after it.
        ProcessResult echo = (await skiff.RunAsync(["run", "--rm", "-i", "--rootfs", rootfs, "sh", "-c", "sleep 2.5; cat"], "piped through\n")).AssertSuccess();
        Assert.Equal("piped through\n", echo.Stdout);
        Assert.Equal(["fg"], (await skiff.RunAsync("ps", "-a", "--format", "{{.Names}}")).AssertSuccess().StdoutLines);
        (await skiff.RunAsync("rm", "fg")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Output_after_the_handover_is_logged_completely(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        // 20 MB after the handover: every byte through skiff-relay.
        (await skiff.RunAsync("run", "--name", "big", "-d", "--rootfs", rootfs, "sh", "-c", "sleep 1.5; head -c 20000000 /dev/zero | tr '\\0' x | fold -w 1000")).AssertSuccess();
        Assert.Equal("0", (await skiff.RunAsync("wait", "big")).AssertSuccess().Stdout.Trim());
        ProcessResult logs = (await skiff.RunAsync(["logs", "big"], (byte[]?)null, TimeSpan.FromMinutes(2))).AssertSuccess();
        Assert.Equal(20_000, logs.StdoutLines.Count);
        Assert.All(logs.StdoutLines, line => Assert.Equal(1000, line.Length));
        (await skiff.RunAsync("rm", "big")).AssertSuccess();
    }

    internal static async Task<int> MonitorPidAsync(SkiffCli skiff, string name)
    {
        string pid = (await skiff.RunAsync("inspect", "--format", "{{.State.ConmonPid}}", name)).AssertSuccess().Stdout.Trim();
        return int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static string ProgramOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}

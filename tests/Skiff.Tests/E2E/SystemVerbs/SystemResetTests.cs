using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.SystemVerbs;

/// <summary>system reset: asks as podman does, then removes every container, image, network and volume, and the store.</summary>
[Trait("Category", "E2E")]
public sealed class SystemResetTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Reset_asks_then_removes_everything(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        (await skiff.RunAsync("run", "-d", "--name", "live", "-v", "vol:/data", "busybox", "sleep", "1000")).AssertSuccess();
        (await skiff.RunAsync("create", "--name", "idle", "busybox", "true")).AssertSuccess();
        (await skiff.RunAsync("network", "create", "net1")).AssertSuccess();
        int pid = int.Parse((await skiff.RunAsync("inspect", "--format", "{{.State.Pid}}", "live")).AssertSuccess().Stdout.Trim());

        // No answer (stdin at its end) is podman's EOF error; "n" keeps everything.
        ProcessResult eof = await skiff.RunAsync(["system", "reset"], string.Empty);
        eof.AssertError(125, "EOF");
        Assert.Contains("WARNING! This will remove:", eof.Stdout, StringComparison.Ordinal);
        (await skiff.RunAsync(["system", "reset"], "n\n")).AssertSuccess();
        Assert.Equal(2, (await skiff.RunAsync("ps", "-aq")).AssertSuccess().StdoutLines.Count);

        (await skiff.RunAsync("system", "reset", "-f")).AssertSuccess();
        Assert.False(Directory.Exists($"/proc/{pid}"), "the running container's process is gone");
        Assert.Empty((await skiff.RunAsync("ps", "-aq")).AssertSuccess().StdoutLines);
        Assert.Empty((await skiff.RunAsync("images", "-q")).AssertSuccess().StdoutLines);
        Assert.Empty((await skiff.RunAsync("volume", "ls", "-q")).AssertSuccess().StdoutLines);
        Assert.DoesNotContain("net1", (await skiff.RunAsync("network", "ls", "--format", "{{.Name}}")).AssertSuccess().StdoutLines);
        Assert.Empty((await skiff.RunAsync("events", "--stream=false")).AssertSuccess().StdoutLines);

        // The store starts afresh.
        await skiff.ImportBusyboxAsync("busybox");
        Assert.Equal("ok", (await skiff.RunAsync("run", "--rm", "busybox", "echo", "ok")).AssertSuccess().Stdout.Trim());
    }
}

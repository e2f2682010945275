using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.SystemVerbs;

/// <summary>system prune: podman's question (and its EOF error), its report, and what stays (running containers, used images, volumes without --volumes).</summary>
[Trait("Category", "E2E")]
public sealed class SystemPruneTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task System_prune_removes_what_nothing_uses_and_reports_it_as_podman(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string tar = Path.Combine(skiff.Sandbox.Work, "rootfs.tar");
        TestImages.WriteBusyboxRootfsTar(tar);
        string dangling = (await skiff.RunAsync("import", tar)).AssertSuccess().Stdout.Trim();
        (await skiff.RunAsync("volume", "create", "unused")).AssertSuccess();
        string old = (await skiff.RunAsync("create", "--name", "old", "busybox", "true")).AssertSuccess().Stdout.Trim();
        (await skiff.RunAsync("run", "-d", "--name", "live", "busybox", "sleep", "1000")).AssertSuccess();

        // No answer (stdin at its end): podman's "Error: EOF"; answered no: nothing happens.
        ProcessResult eof = (await skiff.RunAsync(["system", "prune"], string.Empty)).AssertError(125, "EOF");
        Assert.StartsWith("WARNING! This command removes:\n\t- all stopped containers\n", eof.Stdout, StringComparison.Ordinal);
        Assert.Contains("\t- all dangling images\n", eof.Stdout, StringComparison.Ordinal);
        (await skiff.RunAsync(["system", "prune"], "n\n")).AssertSuccess();
        (await skiff.RunAsync("container", "exists", "old")).AssertSuccess();
        (await skiff.RunAsync("system", "prune", "--filter", "name=x")).AssertExitCode(125);

        ProcessResult pruned = (await skiff.RunAsync("system", "prune", "-f")).AssertSuccess();
        Assert.Equal("Deleted Containers", pruned.StdoutLines[0]);
        Assert.Equal(old, pruned.StdoutLines[1]);
        int images = pruned.StdoutLines.ToList().IndexOf("Deleted Images");
        Assert.True(images > 1, pruned.Stdout);
        Assert.Equal(dangling.Replace("sha256:", string.Empty, StringComparison.Ordinal), pruned.StdoutLines[images + 1]);
        Assert.StartsWith("Total reclaimed space: ", pruned.StdoutLines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("Deleted Volumes", pruned.Stdout, StringComparison.Ordinal);
        (await skiff.RunAsync("container", "exists", "old")).AssertExitCode(1);
        (await skiff.RunAsync("container", "exists", "live")).AssertSuccess();
        (await skiff.RunAsync("volume", "inspect", "unused")).AssertSuccess();

        // -a --volumes: the unused volume goes; the image the running container uses stays.
        ProcessResult all = (await skiff.RunAsync(["system", "prune", "-a", "--volumes"], "y\n")).AssertSuccess();
        Assert.Contains("\t- all volumes not used by at least one container\n", all.Stdout, StringComparison.Ordinal);
        Assert.Contains("Deleted Volumes\nunused\n", all.Stdout, StringComparison.Ordinal);
        (await skiff.RunAsync("image", "inspect", "busybox")).AssertSuccess();
        (await skiff.RunAsync("rm", "-f", "live")).AssertSuccess();
    }
}

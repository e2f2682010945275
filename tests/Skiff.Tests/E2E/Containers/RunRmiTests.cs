using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>run --rmi (podman 4.3): the image goes after the container ends, unless another container uses it; --rm is implied.</summary>
[Trait("Category", "E2E")]
public sealed class RunRmiTests(ITestOutputHelper output)
{
    private static async Task<IReadOnlyList<string>> NamesAsync(SkiffCli skiff) =>
        (await skiff.RunAsync("images", "--format", "{{.Repository}}:{{.Tag}}")).AssertSuccess().StdoutLines;

    [Theory, RootAndRootless]
    public async Task Rmi_removes_the_image_after_the_container_and_keeps_one_in_use(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("gone");
        ProcessResult run = await skiff.RunAsync("run", "--rmi", "gone", "sh", "-c", "echo hi; exit 3");
        run.AssertExitCode(3);
        Assert.Equal("hi\n", run.Stdout);
        Assert.Empty((await skiff.RunAsync("ps", "-aq")).AssertSuccess().StdoutLines);
        Assert.DoesNotContain("localhost/gone:latest", await NamesAsync(skiff));
        Assert.Empty(await NamesAsync(skiff));

        // Another name of the same image is only untagged.
        await skiff.ImportBusyboxAsync("busybox");
        (await skiff.RunAsync("tag", "busybox", "other")).AssertSuccess();
        (await skiff.RunAsync("run", "--rmi", "other", "true")).AssertSuccess();
        Assert.Equal(["localhost/busybox:latest"], await NamesAsync(skiff));

        // An image another container uses stays, with a warning; the exit code is the container's.
        (await skiff.RunAsync("create", "--name", "holder", "busybox", "true")).AssertSuccess();
        ProcessResult kept = (await skiff.RunAsync("run", "--rmi", "busybox", "echo", "ok")).AssertSuccess();
        Assert.Equal("ok\n", kept.Stdout);
        Assert.Contains("Warning: failed removing image localhost/busybox:latest", kept.Stderr);
        Assert.Equal(["localhost/busybox:latest"], await NamesAsync(skiff));
        Assert.Equal(["holder"], (await skiff.RunAsync("ps", "-a", "--format", "{{.Names}}")).AssertSuccess().StdoutLines);
        (await skiff.RunAsync("rm", "holder")).AssertSuccess();

        // Detached, nothing waits for the end: the container goes (--rm) and the image stays, as podman 4.3.
        string id = (await skiff.RunAsync("run", "-d", "--rmi", "busybox", "true")).AssertSuccess().Stdout.Trim();
        await Poll.UntilAsync(async () => (await skiff.RunAsync("ps", "-aq", "--no-trunc")).StdoutLines.Count == 0);
        Assert.Equal(["localhost/busybox:latest"], await NamesAsync(skiff));
        Assert.NotEmpty(id);
    }
}

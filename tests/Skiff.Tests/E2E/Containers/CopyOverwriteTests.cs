using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// <c>cp</c> and <c>cp --overwrite</c>, as podman 4.3: a copied directory does not replace a non-directory nor a
/// copied file a directory, either way, unless <c>--overwrite</c> is given.
/// </summary>
[Trait("Category", "E2E")]
public sealed class CopyOverwriteTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Kinds_are_replaced_only_with_overwrite(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        string work = skiff.Sandbox.Work;
        (await skiff.RunAsync("run", "-d", "--name", "target", "--rootfs", rootfs, "sh", "-c", "mkdir -p /d/x; echo old > /d/f; echo ready; sleep 1000")).AssertSuccess();
        await Poll.UntilAsync(async () => (await skiff.RunAsync("logs", "target")).Stdout.Contains("ready"));

        // Host side: x a file and f a directory, the reverse of the container's.
        string source = Path.Combine(work, "source");
        Directory.CreateDirectory(Path.Combine(source, "f"));
        File.WriteAllText(Path.Combine(source, "x"), "file x\n");
        File.WriteAllText(Path.Combine(source, "f", "in"), "inside f\n");

        (await skiff.RunAsync("cp", source + "/.", "target:/d/")).AssertError(125, "cannot overwrite");
        Assert.Equal("dir\nfile\n", (await skiff.RunAsync("exec", "target", "sh", "-c", "test -d /d/x && echo dir; test -f /d/f && echo file")).AssertSuccess().Stdout);

        (await skiff.RunAsync("cp", "--overwrite", source + "/.", "target:/d/")).AssertSuccess();
        Assert.Equal("file x\ninside f\n", (await skiff.RunAsync("exec", "target", "cat", "/d/x", "/d/f/in")).AssertSuccess().Stdout);

        // Out to the host: the host's own kinds are kept the same way.
        string host = Path.Combine(work, "host");
        Directory.CreateDirectory(Path.Combine(host, "x"));
        File.WriteAllText(Path.Combine(host, "f"), "host f\n");
        File.SetUnixFileMode(host, (UnixFileMode)Convert.ToInt32("777", 8));
        File.SetUnixFileMode(Path.Combine(host, "x"), (UnixFileMode)Convert.ToInt32("777", 8));
        (await skiff.RunAsync("cp", "target:/d/.", host)).AssertError(125, "cannot overwrite");
        Assert.True(Directory.Exists(Path.Combine(host, "x")));
        Assert.Equal("host f\n", File.ReadAllText(Path.Combine(host, "f")));

        (await skiff.RunAsync("cp", "--overwrite", "target:/d/.", host)).AssertSuccess();
        Assert.Equal("file x\n", File.ReadAllText(Path.Combine(host, "x")));
        Assert.Equal("inside f\n", File.ReadAllText(Path.Combine(host, "f", "in")));

        // A file onto a file and a directory into a directory need no flag.
        (await skiff.RunAsync("cp", source + "/.", "target:/d/")).AssertSuccess();
        (await skiff.RunAsync("rm", "-f", "-t", "0", "target")).AssertSuccess();
    }
}

using System.Text.Json;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// diff and commit over a real writable layer: added, changed and deleted paths, a symlink to / that must stay a
/// symlink (never followed out of the layer), owners as the container sees them, and the committed image run and pushed.
/// </summary>
[Collection(RegistryCollection.Name)]
[Trait("Category", "E2E")]
public sealed class DiffCommitTests(RegistryFixture registry, ITestOutputHelper output)
{
    private const string Changes =
        "echo committed > /etc/new && rm /etc/group && mkdir /newdir && echo q > /newdir/q && ln -s / /tmp/rootlink && chown 7:8 /newdir/q";

    [Theory, RootAndRootless]
    public async Task Diff_lists_a_containers_changes_as_podman(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        (await skiff.RunAsync("run", "--name", "changed", "busybox", "sh", "-c", Changes)).AssertSuccess();

        ProcessResult diff = (await skiff.RunAsync("diff", "changed")).AssertSuccess();
        IReadOnlyList<string> lines = diff.StdoutLines;
        foreach (string expected in new[] { "C /etc", "A /etc/new", "D /etc/group", "A /newdir", "A /newdir/q", "A /tmp/rootlink" })
        {
            Assert.Contains(expected, lines);
        }

        Assert.True(lines.ToList().IndexOf("A /newdir") < lines.ToList().IndexOf("A /newdir/q"), diff.Stdout);
        Assert.DoesNotContain(lines, l => l.StartsWith("A /tmp/rootlink/", StringComparison.Ordinal) || l.EndsWith("/etc/hosts", StringComparison.Ordinal) || l.EndsWith(" /etc/resolv.conf", StringComparison.Ordinal));
        Assert.Equal(diff.Stdout, (await skiff.RunAsync("container", "diff", "changed")).AssertSuccess().Stdout);

        using JsonDocument json = JsonDocument.Parse((await skiff.RunAsync("diff", "--format", "json", "changed")).AssertSuccess().Stdout);
        Assert.Contains("/etc/group", json.RootElement.GetProperty("deleted").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("/etc/new", json.RootElement.GetProperty("added").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("/etc", json.RootElement.GetProperty("changed").EnumerateArray().Select(e => e.GetString()));

        // An image: its top layer over the ones below (one layer: all added).
        Assert.Contains("A /etc/passwd", (await skiff.RunAsync("diff", "busybox")).AssertSuccess().StdoutLines);
        (await skiff.RunAsync("diff", "nosuch")).AssertExitCode(125);
        (await skiff.RunAsync("diff", "--format", "{{.X}}", "changed")).AssertExitCode(125);
    }

    [Theory, RootAndRootless]
    public async Task Commit_makes_an_image_that_runs_with_the_changes_and_pushes(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        (await skiff.RunAsync("run", "--name", "changed", "-e", "FROM_RUN=1", "busybox", "sh", "-c", Changes)).AssertSuccess();

        (await skiff.RunAsync("commit", "-m", "msg", "changed", "refused")).AssertError(125, "messages are only compatible with the docker image format");
        ProcessResult committed = (await skiff.RunAsync("commit", "-a", "Ann <a@b>", "-c", "ENV FOO=bar", "-c", "CMD [\"cat\", \"/etc/new\"]", "changed", "committed:v1")).AssertSuccess();
        Assert.Matches("^[0-9a-f]{64}\n$", committed.Stdout);
        Assert.Contains("Writing manifest to image destination", committed.Stderr, StringComparison.Ordinal);

        Assert.Equal("committed\n", (await skiff.RunAsync("run", "--rm", "committed:v1")).AssertSuccess().Stdout);
        Assert.Equal(
            "gone\n/\n7:8\nbar 1\n",
            (await skiff.RunAsync("run", "--rm", "committed:v1", "sh", "-c",
                "test -e /etc/group || echo gone; readlink /tmp/rootlink; stat -c %u:%g /newdir/q; echo $FOO $FROM_RUN")).AssertSuccess().Stdout);
        Assert.Equal("Ann <a@b>\n", (await skiff.RunAsync("image", "inspect", "--format", "{{.Author}}", "committed:v1")).AssertSuccess().Stdout);

        // Docker format with a message, quiet: only the id.
        ProcessResult docker = (await skiff.RunAsync("commit", "-q", "--format", "docker", "-m", "msg", "changed", "committed:docker")).AssertSuccess();
        Assert.Matches("^[0-9a-f]{64}\n$", docker.Stdout);
        Assert.Equal(string.Empty, docker.Stderr);

        string target = registry.Reference($"commit/{(rootless ? "rootless" : "root")}-{Guid.NewGuid():N}"[..30], "v1");
        (await skiff.RunAsync("push", "--tls-verify=false", "committed:v1", target)).AssertSuccess();
        (await skiff.RunAsync("rm", "changed")).AssertSuccess();
    }

    [Fact]
    public async Task Commit_of_a_container_with_its_own_map_keeps_the_owners_the_container_sees()
    {
        using var skiff = new SkiffCli(output, rootless: false);
        await skiff.ImportBusyboxAsync("busybox");
        (await skiff.RunAsync("run", "--name", "mapped", "--uidmap", "0:200000:65536", "--gidmap", "0:300000:65536", "busybox", "sh", "-c",
            "echo m > /m && chown 5:6 /m")).AssertSuccess();
        (await skiff.RunAsync("commit", "-q", "mapped", "mapped:v1")).AssertSuccess();
        Assert.Equal("5:6\n", (await skiff.RunAsync("run", "--rm", "mapped:v1", "stat", "-c", "%u:%g", "/m")).AssertSuccess().Stdout);
        (await skiff.RunAsync("rm", "mapped")).AssertSuccess();
    }
}

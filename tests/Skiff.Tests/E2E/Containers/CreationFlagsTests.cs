using System.Text.Json;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>run/create flags scripts lean on: --cidfile, --replace, --label-file, --env-host (podman's behaviour).</summary>
[Trait("Category", "E2E")]
public sealed class CreationFlagsTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Cidfile_gets_the_id_and_is_never_overwritten(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string file = Path.Combine(skiff.Sandbox.Work, "cid");

        string id = (await skiff.RunAsync("create", "--cidfile", file, "busybox", "true")).AssertSuccess().Stdout.Trim();
        Assert.Equal(id, await File.ReadAllTextAsync(file));

        // An existing file is refused before anything is created.
        (await skiff.RunAsync("create", "--cidfile", file, "busybox", "true")).AssertError(125, $"container id file exists. Ensure another container is not using it or delete {file}");
        Assert.Equal([id], (await skiff.RunAsync("ps", "-aq", "--no-trunc")).AssertSuccess().StdoutLines);
        Assert.Equal(id, await File.ReadAllTextAsync(file));

        // A create that fails leaves no file behind.
        string other = Path.Combine(skiff.Sandbox.Work, "cid2");
        (await skiff.RunAsync("create", "--cidfile", other, "--pull", "never", "nosuchimage", "true")).AssertExitCode(125);
        Assert.False(File.Exists(other));
    }

    [Theory, RootAndRootless]
    public async Task Replace_removes_the_container_of_that_name_first(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        (await skiff.RunAsync("run", "--rm", "--replace", "busybox", "true")).AssertError(125, "cannot replace container without --name being set");

        string old = (await skiff.RunAsync("run", "-d", "--name", "web", "busybox", "sleep", "100")).AssertSuccess().Stdout.Trim();
        ProcessResult replaced = (await skiff.RunAsync("run", "-d", "--replace", "--name", "web", "busybox", "sleep", "100")).AssertSuccess();
        Assert.Equal("web", replaced.StdoutLines[0]);
        string fresh = replaced.StdoutLines[^1];
        Assert.NotEqual(old, fresh);
        Assert.Equal([$"{fresh} web"], (await skiff.RunAsync("ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Names}}")).AssertSuccess().StdoutLines);

        // No container has that name, only an id that starts with it: nothing is replaced.
        ProcessResult named = (await skiff.RunAsync("create", "--replace", "--name", fresh[..6], "busybox", "true")).AssertSuccess();
        Assert.Single(named.StdoutLines);
        Assert.Equal(2, (await skiff.RunAsync("ps", "-aq")).AssertSuccess().StdoutLines.Count);
    }

    [Theory, RootAndRootless]
    public async Task Platform_counts_a_local_image_only_when_it_is_for_that_platform(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string host = (await skiff.RunAsync("image", "inspect", "--format", "{{.Os}}/{{.Architecture}}", "busybox")).AssertSuccess().Stdout.Trim();
        string other = host.EndsWith("/arm64", StringComparison.Ordinal) ? "linux/amd64" : "linux/arm64";

        Assert.Equal("ok", (await skiff.RunAsync("run", "--rm", "--pull", "never", "--platform", host, "busybox", "echo", "ok")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("run", "--rm", "--pull", "never", "--platform", other, "busybox", "true")).AssertError(125, "busybox: image not known");
        (await skiff.RunAsync("create", "--platform", "bogus", "busybox", "true")).AssertError(125, "invalid platform \"bogus\"");
        Assert.Empty((await skiff.RunAsync("ps", "-aq")).AssertSuccess().StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task Label_file_and_env_host_feed_labels_and_environment(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string labels = Path.Combine(skiff.Sandbox.Work, "labels");
        await File.WriteAllTextAsync(labels, "a=1\n# a comment\n\n  b\nc=x=y\n");

        (await skiff.RunAsync("create", "--name", "l", "--label-file", labels, "--label", "a=2", "busybox", "true")).AssertSuccess();
        using (JsonDocument json = JsonDocument.Parse((await skiff.RunAsync("inspect", "--format", "{{json .Config.Labels}}", "l")).AssertSuccess().Stdout))
        {
            Assert.Equal("2", json.RootElement.GetProperty("a").GetString());
            Assert.Equal("", json.RootElement.GetProperty("b").GetString());
            Assert.Equal("x=y", json.RootElement.GetProperty("c").GetString());
            Assert.Equal(3, json.RootElement.EnumerateObject().Count());
        }

        (await skiff.RunAsync("create", "--label-file", Path.Combine(skiff.Sandbox.Work, "missing"), "busybox", "true")).AssertError(125, "--label-file");

        skiff.Environment["SKIFF_TEST_FROM_HOST"] = "from-host";
        Assert.Equal("from-host", (await skiff.RunAsync("run", "--rm", "--env-host", "busybox", "sh", "-c", "echo $SKIFF_TEST_FROM_HOST")).AssertSuccess().Stdout.Trim());
        // -e comes after the host's variables.
        Assert.Equal("flag", (await skiff.RunAsync("run", "--rm", "--env-host", "-e", "SKIFF_TEST_FROM_HOST=flag", "busybox", "sh", "-c", "echo $SKIFF_TEST_FROM_HOST")).AssertSuccess().Stdout.Trim());
        Assert.Equal("", (await skiff.RunAsync("run", "--rm", "busybox", "sh", "-c", "echo $SKIFF_TEST_FROM_HOST")).AssertSuccess().Stdout.Trim());
    }
}

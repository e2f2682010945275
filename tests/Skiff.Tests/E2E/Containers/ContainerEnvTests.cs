using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>/run/.containerenv and container=podman, as podman 4.3 gives them to every container.</summary>
[Trait("Category", "E2E")]
public sealed class ContainerEnvTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Every_container_has_an_empty_containerenv_and_the_container_variable(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");

        ProcessResult plain = (await skiff.RunAsync("run", "--rm", "busybox", "sh", "-c", "test -f /run/.containerenv && wc -c < /run/.containerenv && echo \"$container\"")).AssertSuccess();
        Assert.Equal(["0", "podman"], plain.StdoutLines.Select(l => l.Trim()));

        // The image's or the user's own value wins, and a tmpfs on /run does not hide the file.
        ProcessResult own = (await skiff.RunAsync("run", "--rm", "-e", "container=mine", "--tmpfs", "/run", "busybox", "sh", "-c", "test -f /run/.containerenv && echo \"$container\"")).AssertSuccess();
        Assert.Equal("mine", own.Stdout.Trim());

        // inspect lists it, as podman's does.
        (await skiff.RunAsync("create", "--name", "c", "busybox", "true")).AssertSuccess();
        Assert.Contains("container=podman", (await skiff.RunAsync("inspect", "--format", "{{.Config.Env}}", "c")).AssertSuccess().Stdout, StringComparison.Ordinal);
    }

    [Theory, RootAndRootless]
    public async Task A_privileged_container_is_told_its_engine_name_and_image(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string imageId = (await skiff.RunAsync("image", "inspect", "--format", "{{.Id}}", "busybox")).AssertSuccess().Stdout.Trim();
        string id = (await skiff.RunAsync("create", "--privileged", "--name", "priv", "busybox", "cat", "/run/.containerenv")).AssertSuccess().Stdout.Trim();
        (await skiff.RunAsync("rename", "priv", "renamed")).AssertSuccess();

        ProcessResult run = (await skiff.RunAsync("start", "-a", "renamed")).AssertSuccess();
        string version = (await skiff.RunAsync("version", "--format", "{{.Version}}")).AssertSuccess().Stdout.Trim();
        Assert.Equal(
            [$"engine=\"skiff-{version}\"", "name=\"renamed\"", $"id=\"{id}\"", "image=\"localhost/busybox:latest\"", $"imageid=\"{imageId.Replace("sha256:", string.Empty, StringComparison.Ordinal)}\"", $"rootless={(rootless ? 1 : 0)}"],
            run.StdoutLines);
    }
}

using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.SystemVerbs;

/// <summary>podman's <c>-v</c>, <c>help [VERB]</c> and <c>commit --iidfile</c>.</summary>
[Trait("Category", "E2E")]
public sealed class HelpVersionTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Version_flag_and_help_verb_answer_as_podman(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string version = (await skiff.RawAsync(["version", "--format", "{{.Version}}"])).AssertSuccess().Stdout.Trim();
        Assert.Equal($"skiff version {version}\n", (await skiff.RawAsync(["-v"])).AssertSuccess().Stdout);
        Assert.Equal($"skiff version {version}\n", (await skiff.RawAsync(["--version"])).AssertSuccess().Stdout);

        Assert.Equal((await skiff.RawAsync(["ps", "--help"])).AssertSuccess().Stdout, (await skiff.RawAsync(["help", "ps"])).AssertSuccess().Stdout);
        Assert.Equal((await skiff.RawAsync(["volume", "ls", "--help"])).AssertSuccess().Stdout, (await skiff.RawAsync(["help", "volume", "ls"])).AssertSuccess().Stdout);
        Assert.Contains("events", (await skiff.RawAsync(["help"])).AssertSuccess().Stdout, StringComparison.Ordinal);
        (await skiff.RawAsync(["help", "nosuchverb"])).AssertExitCode(125);
    }

    [Theory, RootAndRootless]
    public async Task Commit_writes_the_image_id_to_the_iidfile(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        (await skiff.RunAsync("run", "--name", "c", "busybox", "touch", "/x")).AssertSuccess();
        string file = Path.Combine(skiff.Sandbox.Work, "iid");
        string printed = (await skiff.RunAsync("commit", "-q", "--iidfile", file, "c", "committed")).AssertSuccess().Stdout.Trim();
        Assert.Equal(printed, File.ReadAllText(file));
        Assert.StartsWith(printed, (await skiff.RunAsync("image", "inspect", "--format", "{{.Id}}", "committed")).AssertSuccess().Stdout.Replace("sha256:", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }
}

using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary><c>logs</c> of several containers, <c>--names</c> and <c>--color</c>, as podman 4.3 prints them.</summary>
[Trait("Category", "E2E")]
public sealed class LogsMultipleTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Several_containers_are_merged_by_time_with_a_prefix_each(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        string first = (await skiff.RunAsync("run", "-d", "--name", "first", "--rootfs", rootfs, "sh", "-c", "echo a1; echo a2 >&2; echo a3")).AssertSuccess().Stdout.Trim();
        (await skiff.RunAsync("wait", "first")).AssertSuccess();
        string second = (await skiff.RunAsync("run", "-d", "--name", "second", "--rootfs", rootfs, "sh", "-c", "echo b1")).AssertSuccess().Stdout.Trim();
        (await skiff.RunAsync("wait", "second")).AssertSuccess();

        // Given second first: the lines still come in the order they were logged, each with its container's short id.
        ProcessResult ids = (await skiff.RunAsync("logs", "second", "first")).AssertSuccess();
        Assert.Equal($"{first[..12]} a1\n{first[..12]} a3\n{second[..12]} b1\n", ids.Stdout);
        Assert.Equal($"{first[..12]} a2\n", ids.Stderr);

        ProcessResult names = (await skiff.RunAsync("logs", "--names", "-f", "second", "first")).AssertSuccess();
        Assert.Equal("first a1\nfirst a3\nsecond b1\n", names.Stdout);
        Assert.Equal("first a2\n", names.Stderr);

        ProcessResult stamped = (await skiff.RunAsync("logs", "--names", "-t", "first", "second")).AssertSuccess();
        Assert.Matches(@"^first \S+Z a1\nfirst \S+Z a3\nsecond \S+Z b1\n$", stamped.Stdout);

        // --tail counts each container's lines (first's last is a2 or a3: its two streams are read apart).
        string tailed = (await skiff.RunAsync("logs", "--names", "--tail", "1", "first", "second")).AssertSuccess().Stdout;
        Assert.EndsWith("second b1\n", tailed);
        Assert.DoesNotContain("a1", tailed);

        // podman's colours by the containers' places in the arguments: white, red, ...; the whole line, reset before its end.
        ProcessResult colored = (await skiff.RunAsync("logs", "--color", "--names", "second", "first")).AssertSuccess();
        Assert.Equal("\e[31mfirst a1\e[0m\n\e[31mfirst a3\e[0m\n\e[37msecond b1\e[0m\n", colored.Stdout);

        // One container: no prefix, as podman, even with --names; --color still colours it.
        Assert.Equal("b1\n", (await skiff.RunAsync("logs", "--names", "second")).AssertSuccess().Stdout);
        Assert.Equal("\e[37mb1\e[0m\n", (await skiff.RunAsync("logs", "--color", "second")).AssertSuccess().Stdout);

        // The same container twice is two containers to podman.
        Assert.Equal("second b1\nsecond b1\n", (await skiff.RunAsync("logs", "--names", "second", "second")).AssertSuccess().Stdout);

        (await skiff.RunAsync("logs", "first", "missing")).AssertError(125, "no container with name or ID \"missing\" found");
        (await skiff.RunAsync("logs", "-l", "first")).AssertError(125, "--latest and containers cannot be used together");
        (await skiff.RunAsync("rm", "first", "second")).AssertSuccess();
    }
}

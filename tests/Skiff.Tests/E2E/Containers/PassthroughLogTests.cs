using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// --log-driver passthrough, as podman 4.3: the container's stdio are the skiff command's own descriptors (the same
/// open files, not pipes through the monitor), nothing is logged and logs refuses; exit codes and signals as usual.
/// </summary>
[Trait("Category", "E2E")]
public sealed class PassthroughLogTests(ITestOutputHelper output)
{
    private static async Task<SkiffCli> SkiffAsync(ITestOutputHelper output, bool rootless)
    {
        var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        return skiff;
    }

    /// <summary>The skiff command line for a shell in the sandbox's work directory.</summary>
    private static string Skiff(SkiffCli skiff) => $"cd {skiff.Sandbox.Work} && {Binary(skiff)}";

    private static string Binary(SkiffCli skiff) => $"{skiff.Binary} {string.Join(' ', skiff.StoreFlags())}";

    [Theory, RootAndRootless]
    public async Task The_container_writes_to_the_callers_own_files_and_exits_with_its_code(bool rootless)
    {
        using SkiffCli skiff = await SkiffAsync(output, rootless);
        // Inside, /proc/self/fd/1 and 2 are the very files the caller redirected to (their inodes); the exit code is the container's.
        ProcessResult run = (await skiff.ExecAsync("sh", "-c",
            $"{Skiff(skiff)} run --name pt --log-driver passthrough busybox sh -c 'stat -L -c %i /proc/self/fd/1 /proc/self/fd/2; stat -L -c %t:%T /proc/self/fd/0; echo to-stderr >&2; exit 3' > out 2> err; " +
            "echo $?; stat -c %i out err; cat out err")).AssertSuccess();
        IReadOnlyList<string> lines = run.StdoutLines;
        Assert.Equal("3", lines[0]);
        Assert.Equal([lines[1], lines[2], "1:3", "to-stderr"], lines.Skip(3));

        (await skiff.RunAsync("logs", "pt")).AssertError(125, "this container is using the 'passthrough' log driver, cannot read logs: this container is not logging output");
        Assert.Equal("passthrough|", (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.LogConfig.Type}}|{{.HostConfig.LogConfig.Path}}", "pt")).AssertSuccess().Stdout.Trim());

        // start -a of a created container: the starting command's descriptors.
        (await skiff.RunAsync("create", "--name", "pt2", "--log-driver", "passthrough", "busybox", "sh", "-c", "stat -L -c %i /proc/self/fd/1")).AssertSuccess();
        ProcessResult started = (await skiff.ExecAsync("sh", "-c", $"{Skiff(skiff)} start -a pt2 > out2; echo $?; stat -c %i out2; cat out2")).AssertSuccess();
        Assert.Equal(["0", started.StdoutLines[1], started.StdoutLines[1]], started.StdoutLines);
        (await skiff.RunAsync("rm", "pt", "pt2")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task With_i_the_container_reads_the_callers_stdin_and_without_it_dev_null(bool rootless)
    {
        using SkiffCli skiff = await SkiffAsync(output, rootless);
        ProcessResult piped = (await skiff.ExecAsync("sh", "-c",
            $"echo hello | {Binary(skiff)} run -i --rm --log-driver passthrough busybox sh -c 'cat; stat -L -c %F /proc/self/fd/0' | cat")).AssertSuccess();
        Assert.Equal(["hello", "fifo"], piped.StdoutLines);
        ProcessResult closed = (await skiff.ExecAsync("sh", "-c",
            $"echo hello | {Binary(skiff)} run --rm --log-driver passthrough busybox sh -c 'cat; stat -L -c %t:%T /proc/self/fd/0'")).AssertSuccess();
        Assert.Equal(["1:3"], closed.StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task A_signal_to_the_foreground_command_is_forwarded_to_the_container(bool rootless)
    {
        using SkiffCli skiff = await SkiffAsync(output, rootless);
        const string container = "trap 'echo got-TERM; exit 7' TERM; echo ready; while :; do usleep 50000; done";
        ProcessResult run = (await skiff.ExecAsync("sh", "-c",
            $"{Skiff(skiff)} run --rm --log-driver passthrough busybox sh -c \"{container}\" > out & pid=$!; " +
            "i=0; until grep -q ready out 2>/dev/null || [ $i -ge 600 ]; do sleep 0.1; i=$((i+1)); done; " +
            "kill -TERM $pid; wait $pid; echo $?; cat out")).AssertSuccess();
        Assert.Equal(["7", "ready", "got-TERM"], run.StdoutLines);
    }
}

using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// run --preserve-fds N as podman 4.3: the run command's descriptors 3 to 2+N are the container process's, through the
/// monitor, and nothing else of skiff's is open there; one that is not open is podman's error. Root and rootless,
/// with skiff's runtime and runc.
/// </summary>
[Trait("Category", "E2E")]
public sealed class RunPreserveFdsTests(ITestOutputHelper output)
{
    // pid 1's descriptors, listed from a child shell (pid 1 itself would hold the pipe of a command substitution); the
    // command substitution is escaped from the host's shell, which runs the command line.
    private const string Probe = "sh -c 'ls /proc/1/fd > /tmp/fds'; echo \\$(cat /tmp/fds)";

    public static TheoryData<bool, string> Runtimes => new()
    {
        { false, "skiff" },
        { true, "skiff" },
        { false, "runc" },
        { true, "runc" },
    };

    [Theory, MemberData(nameof(Runtimes))]
    public async Task The_named_descriptors_and_only_those_reach_the_container(bool rootless, string runtime)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await skiff.ImportBusyboxAsync();
        File.WriteAllText(Path.Combine(skiff.Sandbox.Work, "three"), "three\n");
        File.WriteAllText(Path.Combine(skiff.Sandbox.Work, "four"), "four\n");
        string run = $"cd {skiff.Sandbox.Work} && {skiff.Binary} {string.Join(' ', skiff.StoreFlags())} run --rm --network none --runtime {runtime}";

        ProcessResult passed = await skiff.ExecAsync("sh", "-c", $"{run} --preserve-fds 2 {image} sh -c \"{Probe}; cat <&3; cat <&4\" 3<three 4<four");
        passed.AssertSuccess();
        Assert.Equal("0 1 2 3 4\nthree\nfour\n", passed.Stdout);

        // Without the flag, the caller's descriptors stay out, as every one of skiff's own.
        ProcessResult kept = await skiff.ExecAsync("sh", "-c", $"{run} {image} sh -c \"{Probe}\" 3<three 4<four");
        kept.AssertSuccess();
        Assert.Equal("0 1 2\n", kept.Stdout);

        // With a terminal, the descriptors come after the terminal's.
        ProcessResult withTerminal = await skiff.ExecAsync("sh", "-c", $"{run} -t --preserve-fds 1 {image} cat /proc/self/fd/3 3<three");
        withTerminal.AssertSuccess();
        Assert.Equal("three\r\n", withTerminal.Stdout);

        (await skiff.ExecAsync("sh", "-c", $"{run} --preserve-fds 2 {image} true 3<three")).AssertError(125, "file descriptor 4 is not available");
        (await skiff.RunAsync("run", "--preserve-fds", "x", image, "true")).AssertError(125, "invalid argument \"x\" for \"--preserve-fds\" flag");
        Assert.Equal(string.Empty, (await skiff.RunAsync("ps", "-aq")).AssertSuccess().Stdout);
    }

    [Theory, RootAndRootless]
    public async Task A_detached_container_gets_them_and_the_monitor_keeps_none(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await skiff.ImportBusyboxAsync();
        string run = $"cd {skiff.Sandbox.Work} && {skiff.Binary} {string.Join(' ', skiff.StoreFlags())} run -d --network none";

        // A pipe's reader sees its end once the container closed its copy, while the container runs on: neither the monitor
        // nor skiff-relay (nor anything else skiff started) holds the write end; if one did, cat would not end.
        ProcessResult piped = await skiff.ExecAsync("sh", "-c", $"{run} --name pf --preserve-fds 1 {image} sh -c 'echo through-the-pipe >&3; exec 3>&-; sleep 1000' 3>&1 >/dev/null | cat");
        piped.AssertSuccess();
        Assert.Equal("through-the-pipe\n", piped.Stdout);
        Assert.Equal("running", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}}", "pf")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("rm", "-f", "-t", "0", "pf")).AssertSuccess();
    }
}

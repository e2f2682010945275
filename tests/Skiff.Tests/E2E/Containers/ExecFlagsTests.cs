using System.Globalization;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>exec's flags beyond the basics, as podman 4.3: --env-file, --privileged, --preserve-fds, --detach-keys (root and rootless).</summary>
[Trait("Category", "E2E")]
public sealed class ExecFlagsTests(ITestOutputHelper output)
{
    private const int CapSysAdmin = 21;

    [Theory, RootAndRootless]
    public async Task Exec_reads_env_files_gives_all_capabilities_and_passes_descriptors(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await skiff.ImportBusyboxAsync();
        (await skiff.RunAsync("run", "-d", "--network", "none", "--name", "web", image, "sleep", "1000")).AssertSuccess();

        // --env-file: the same reader as run's; -e wins over the file.
        string envFile = Path.Combine(skiff.Sandbox.Work, "exec.env");
        File.WriteAllText(envFile, "# comment\nA=from-file\nB=file\n");
        Assert.Equal("from-file cli\n", (await skiff.RunAsync("exec", "--env-file", envFile, "-e", "B=cli", "web", "sh", "-c", "echo $A $B")).AssertSuccess().Stdout);
        (await skiff.RunAsync("exec", "--env-file", envFile + ".missing", "web", "true")).AssertError(125, "parsing env file");

        // --privileged: every capability skiff holds (CAP_SYS_ADMIN among them), which the container's process lacks.
        ulong plain = CapEff((await skiff.RunAsync("exec", "web", "cat", "/proc/self/status")).AssertSuccess().Stdout);
        ulong privileged = CapEff((await skiff.RunAsync("exec", "--privileged", "web", "cat", "/proc/self/status")).AssertSuccess().Stdout);
        Assert.Equal(0UL, plain & (1UL << CapSysAdmin));
        Assert.NotEqual(0UL, privileged & (1UL << CapSysAdmin));
        Assert.Equal(plain, plain & privileged);

        // --preserve-fds N: descriptors 3..3+N-1 of the exec command reach the process; without it they do not.
        File.WriteAllText(Path.Combine(skiff.Sandbox.Work, "three"), "three\n");
        File.WriteAllText(Path.Combine(skiff.Sandbox.Work, "four"), "four\n");
        string exec = $"cd {skiff.Sandbox.Work} && {skiff.Binary} {string.Join(' ', skiff.StoreFlags())} exec";
        ProcessResult passed = await skiff.ExecAsync("sh", "-c", $"{exec} --preserve-fds 2 web sh -c 'cat <&3; cat <&4' 3<three 4<four");
        passed.AssertSuccess();
        Assert.Equal("three\nfour\n", passed.Stdout);
        ProcessResult withTerminal = await skiff.ExecAsync("sh", "-c", $"{exec} -t --preserve-fds 1 web cat /proc/self/fd/3 3<three");
        withTerminal.AssertSuccess();
        Assert.Equal("three\r\n", withTerminal.Stdout);
        Assert.NotEqual(0, (await skiff.ExecAsync("sh", "-c", $"{exec} web sh -c 'cat <&3' 3<three")).ExitCode);
        (await skiff.ExecAsync("sh", "-c", $"{exec} --preserve-fds 2 web true 3<three")).AssertError(125, "file descriptor 4 is not available");

        (await skiff.RunAsync("rm", "-f", "-t", "0", "web")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Exec_detach_keys_leave_the_session_running(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await skiff.ImportBusyboxAsync();
        (await skiff.RunAsync("run", "-d", "--network", "none", "--name", "web", image, "sleep", "1000")).AssertSuccess();
        string exec = $"{skiff.Binary} {string.Join(' ', skiff.StoreFlags())} exec";

        // ctrl-p ctrl-q by default: the session ends with 0 and its process runs on (without the detach, this never ends).
        ProcessResult detached = (await skiff.ExecAsync(
            "script",
            ["-qec", $"(sleep 1; printf 'echo mark-$((6*7))\\r'; sleep 1; printf '\\020\\021') | {exec} -it web sh -c 'sh; sleep 654'", "/dev/null"],
            null,
            TimeSpan.FromMinutes(1))).AssertSuccess();
        Assert.Contains("mark-42", detached.Stdout);

        // Its own sequence; the process keeps its terminal after the session ended (not hung up).
        (await skiff.ExecAsync(
            "script",
            ["-qec", $"(sleep 1; printf 'xy') | {exec} -it --detach-keys x,y web sleep 321", "/dev/null"],
            null,
            TimeSpan.FromMinutes(1))).AssertSuccess();
        await Task.Delay(500);
        string processes = (await skiff.RunAsync("exec", "web", "ps", "-o", "args")).AssertSuccess().Stdout;
        Assert.Contains("sleep 321", processes);
        Assert.Contains("sh -c sh; sleep 654", processes);

        // "" disables detaching: ctrl-p ctrl-q reach the process, which ends the session with its code.
        ProcessResult undetachable = await skiff.ExecAsync(
            "script",
            ["-qec", $"(sleep 1; printf '\\020\\021'; sleep 1; printf 'exit 4\\r'; sleep 5) | {exec} -it --detach-keys '' web sh", "/dev/null"],
            null,
            TimeSpan.FromMinutes(1));
        undetachable.AssertExitCode(4);

        (await skiff.RunAsync("exec", "--detach-keys", "ctrl-", "web", "true")).AssertError(125, "invalid detach keys");
        (await skiff.RunAsync("rm", "-f", "-t", "0", "web")).AssertSuccess();
    }

    private static ulong CapEff(string status)
    {
        string line = status.Split('\n').Single(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        return ulong.Parse(line["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}

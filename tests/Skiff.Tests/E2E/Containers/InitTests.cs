using System.Globalization;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>--init: skiff-init as PID 1 forwards signals, reaps orphans and exits with the command's status, in an image without libc.</summary>
[Trait("Category", "E2E")]
public sealed class InitTests(ITestOutputHelper output)
{
    // Two grandchildren are orphaned (their parent exits at once) and die 0.3 s later; then PID 1's
    // command never waits for anything.
    private static readonly string[] Orphans = ["sh", "-c", "sh -c 'sleep 0.3 & sleep 0.3 & exit 0'; exec sleep 1000"];

    [Theory, RootAndRootless]
    public async Task Init_is_pid_1_and_keeps_exit_codes(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        ProcessResult probe = (await skiff.RunAsync("run", "--rm", "--init", "--rootfs", rootfs, "sh", "-c", "cat /proc/1/comm; echo $$")).AssertSuccess();
        Assert.Equal("skiff-init", probe.StdoutLines[0]);
        Assert.NotEqual("1", probe.StdoutLines[1]);
        (await skiff.RunAsync("run", "--rm", "--init", "--rootfs", rootfs, "sh", "-c", "exit 3")).AssertExitCode(3);
        (await skiff.RunAsync("run", "--rm", "--init", "--rootfs", rootfs, "sh", "-c", "kill -9 $$")).AssertExitCode(137);
        (await skiff.RunAsync("run", "--rm", "--init", "--rootfs", rootfs, "no-such-command")).AssertError(127, "not found");
        (await skiff.RunAsync("run", "--rm", "--init", "--runtime", "skiff", "--rootfs", rootfs, "sh", "-c", "cat /proc/1/comm; exit 4")).AssertExitCode(4);
        (await skiff.RunAsync("run", "--rm", "--init", "--init-path", "/no/such/init", "--rootfs", rootfs, "true")).AssertError(125, "/no/such/init");
        Assert.Equal("true\n", (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.Init}}", (await skiff.RunAsync("create", "--init", "--rootfs", rootfs, "true")).AssertSuccess().Stdout.Trim())).AssertSuccess().Stdout);
    }

    [Theory, RootAndRootless]
    public async Task Init_forwards_the_stop_signal_to_the_command(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "-d", "--init", "--name", "sig", "--rootfs", rootfs,
            "sh", "-c", "trap 'echo usr1' USR1; trap 'echo term; exit 7' TERM; echo ready; while true; do sleep 0.1; done")).AssertSuccess();
        await Poll.UntilAsync(async () => (await skiff.RunAsync("logs", "sig")).Stdout.Contains("ready"));
        (await skiff.RunAsync("kill", "-s", "USR1", "sig")).AssertSuccess();
        await Poll.UntilAsync(async () => (await skiff.RunAsync("logs", "sig")).Stdout.Contains("usr1"));
        (await skiff.RunAsync("stop", "-t", "20", "sig")).AssertSuccess();
        Assert.Equal("exited 7", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", "sig")).AssertSuccess().Stdout.Trim());
        Assert.Contains("term", (await skiff.RunAsync("logs", "sig")).AssertSuccess().Stdout);
        (await skiff.RunAsync("rm", "sig")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Orphans_become_zombies_without_init_and_are_reaped_with_it(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);

        (await skiff.RunAsync(["run", "-d", "--name", "plain", "--rootfs", rootfs, .. Orphans])).AssertSuccess();
        int plain = await PidAsync(skiff, "plain");
        await Poll.UntilAsync(() => Task.FromResult(Children(plain).Count(c => c.State == 'Z') == 2));

        (await skiff.RunAsync(["run", "-d", "--init", "--name", "reaped", "--rootfs", rootfs, .. Orphans])).AssertSuccess();
        int init = await PidAsync(skiff, "reaped");
        // The orphans come to init once their parent exits, die, and are reaped: only the command is left.
        await Poll.UntilAsync(() => Task.FromResult(Children(init) is [{ State: not 'Z' }]));
        await Task.Delay(500);
        Assert.DoesNotContain(Children(init), c => c.State == 'Z');
        Assert.Equal(2, Children(plain).Count(c => c.State == 'Z'));

        (await skiff.RunAsync("rm", "-f", "plain", "reaped")).AssertSuccess();
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }

    private static async Task<int> PidAsync(SkiffCli skiff, string name) =>
        int.Parse((await skiff.RunAsync("inspect", "--format", "{{.State.Pid}}", name)).AssertSuccess().Stdout.Trim(), CultureInfo.InvariantCulture);

    /// <summary>Host processes whose parent is <paramref name="pid"/>, with their state letter.</summary>
    private static List<(int Pid, char State)> Children(int pid)
    {
        var children = new List<(int, char)>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int child))
            {
                continue;
            }

            try
            {
                string stat = File.ReadAllText(Path.Combine(directory, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == pid)
                {
                    children.Add((child, fields[0][0]));
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }

        return children;
    }
}

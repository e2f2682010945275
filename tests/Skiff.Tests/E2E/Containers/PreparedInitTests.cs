using System.Globalization;
using Xunit.Abstractions;
using Skiff.Tests.Support;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// `run` starts the container's monitor before the container exists, and that monitor spawns the container's init
/// into the namespaces it most likely gets, so the init's runtime starts beside the CLI's work. The init is taken by
/// the create, or killed: a run whose CLI dies before the container exists leaves no process behind.
/// The CLI is held at its --env-file, a FIFO, read after the monitor started and before the container is created.
/// </summary>
[Trait("Category", "E2E")]
public sealed class PreparedInitTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task The_init_prepared_during_the_cli_work_becomes_the_container(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string fifo = await MakeFifoAsync(skiff);
        Task<ProcessResult> run = skiff.RunAsync("run", "--rm", "--env-file", fifo, "busybox", "sh", "-c", "echo $A; cat /proc/1/cmdline; echo; ls /proc/self/fd | tr '\\n' ' '");

        await Poll.UntilAsync(() => PreparedInits(skiff.Sandbox.Work).Count == 1);
        await File.WriteAllTextAsync(fifo, "A=prepared\n");

        ProcessResult result = (await run).AssertSuccess();
        // The command is PID 1 in its own pid namespace, with only stdin, stdout, stderr and the directory ls reads
        // (none of the descriptors the init was handed, the root's mount tree among them, leaks into the container).
        Assert.Equal("prepared", result.StdoutLines[0]);
        Assert.StartsWith("sh\0-c\0echo $A;", result.StdoutLines[1]);
        Assert.Equal("0 1 2 3 ", result.StdoutLines[2]);
        await Poll.UntilAsync(() => ProcessesIn(skiff.Sandbox.Work).Count == 0);
    }

    [Theory, RootAndRootless]
    public async Task A_cli_killed_before_the_container_exists_leaves_no_prepared_init(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string fifo = await MakeFifoAsync(skiff);
        Task<ProcessResult> run = skiff.RunAsync("run", "--rm", "--env-file", fifo, "busybox", "true");
        await Poll.UntilAsync(() => PreparedInits(skiff.Sandbox.Work).Count == 1);

        foreach (int pid in ProcessTable.Mentioning(fifo))
        {
            Kill(pid);
        }

        await run;
        // The monitor sees the CLI gone, kills the init it prepared, and exits; nothing runs in the sandbox.
        await Poll.UntilAsync(() => ProcessesIn(skiff.Sandbox.Work).Count == 0);
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task A_container_in_other_namespaces_gets_a_new_init_and_the_prepared_one_is_killed(bool rootless)
    {
        // The hint names a network namespace of the container's own; slirp4netns makes the container's
        // namespace as a file to join instead, so the prepared init does not serve and a new one is spawned.
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        ProcessResult result = (await skiff.RunAsync("run", "--rm", "--network", "slirp4netns", "busybox", "sh", "-c", "ls /sys/class/net | grep -c tap0")).AssertSuccess();
        Assert.Equal("1\n", result.Stdout);
        await Poll.UntilAsync(() => ProcessesIn(skiff.Sandbox.Work).Count == 0);
    }

    private static async Task<string> MakeFifoAsync(SkiffCli skiff)
    {
        string fifo = Path.Combine(skiff.Sandbox.Work, "env.fifo");
        (await skiff.ExecAsync("mkfifo", fifo)).AssertSuccess();
        return fifo;
    }

    /// <summary>Prepared inits of monitors started from <paramref name="work"/> (the CLI's working directory, which they keep).</summary>
    private static List<int> PreparedInits(string work) =>
        ProcessesIn(work).Where(pid => ProcessTable.CommandLine(pid).EndsWith("\0oci\0__init\0--prepared\0", StringComparison.Ordinal)).ToList();

    /// <summary>The processes whose working directory is <paramref name="work"/>.</summary>
    private static List<int> ProcessesIn(string work) =>
        ProcessTable.Where(_ => true).Where(pid => WorkingDirectory(pid) == work).ToList();

    private static string? WorkingDirectory(int pid)
    {
        try
        {
            return new DirectoryInfo($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cwd").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void Kill(int pid)
    {
        try
        {
            System.Diagnostics.Process.GetProcessById(pid).Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }
}

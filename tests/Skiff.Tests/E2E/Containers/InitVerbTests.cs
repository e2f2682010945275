using System.Globalization;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// <c>skiff init</c> as podman 4.3's: the runtime creates the container and its monitor waits; start runs it, stop and rm
/// end it leaving nothing, and a killed monitor leaves a container the next command shows as created (root and rootless).
/// </summary>
[Trait("Category", "E2E")]
public sealed class InitVerbTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Init_creates_in_the_runtime_and_start_runs_the_process(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        string id = (await skiff.RunAsync("create", "--name", "ini", "--network", "none", "--rootfs", rootfs, "sh", "-c", "echo started; sleep 1000")).AssertSuccess().Stdout.Trim();

        Assert.Equal("ini\n", (await skiff.RunAsync("init", "ini")).AssertSuccess().Stdout);
        Assert.Equal("initialized false", await FieldAsync(skiff, "ini", "{{.State.Status}} {{.State.Running}}"));
        int pid = int.Parse(await FieldAsync(skiff, "ini", "{{.State.Pid}}"), CultureInfo.InvariantCulture);
        Assert.True(Alive(pid));
        Assert.Equal("Initialized\n", (await skiff.RunAsync("ps", "-a", "--filter", "name=ini", "--format", "{{.Status}}")).AssertSuccess().Stdout);
        Assert.DoesNotContain(id[..12], (await skiff.RunAsync("ps", "-q")).AssertSuccess().Stdout, StringComparison.Ordinal);
        Assert.Empty((await skiff.RunAsync("logs", "ini")).AssertSuccess().Stdout);
        if (!rootless)
        {
            Assert.NotEmpty(CgroupsOf(id));
        }

        // podman's refusals for a container that is initialized, not running.
        (await skiff.RunAsync("init", "ini")).AssertError(125, "has already been created in runtime: container state improper");
        (await skiff.RunAsync("kill", "ini")).AssertError(125, "can only kill running containers");
        (await skiff.RunAsync("exec", "ini", "true")).AssertError(255, "can only create exec sessions on running containers");
        (await skiff.RunAsync("attach", "ini")).AssertError(125, "you can only attach to running containers");
        (await skiff.RunAsync("init")).AssertError(125, "you must provide at least one name or id");
        (await skiff.RunAsync("init", "nosuch")).AssertError(125, "no such container");

        // start runs the process the runtime created at init (the same pid), with no second create.
        Assert.Equal("ini\n", (await skiff.RunAsync("start", "ini")).AssertSuccess().Stdout);
        Assert.Equal("running", await FieldAsync(skiff, "ini", "{{.State.Status}}"));
        Assert.Equal(pid.ToString(CultureInfo.InvariantCulture), await FieldAsync(skiff, "ini", "{{.State.Pid}}"));
        await Poll.UntilAsync(async () => (await skiff.RunAsync("logs", "ini")).Stdout == "started\n");
        (await skiff.RunAsync("init", "ini")).AssertError(125, "has already been created in runtime");

        // stop, rm and rm -f of an initialized container end its init and leave no cgroup, mount or process.
        (await skiff.RunAsync("stop", "-t", "0", "ini")).AssertSuccess();
        (await skiff.RunAsync("init", "ini")).AssertSuccess();
        pid = int.Parse(await FieldAsync(skiff, "ini", "{{.State.Pid}}"), CultureInfo.InvariantCulture);
        Assert.Equal("ini\n", (await skiff.RunAsync("stop", "ini")).AssertSuccess().Stdout);
        Assert.Equal("exited", await FieldAsync(skiff, "ini", "{{.State.Status}}"));
        AssertLeftNothing(id, pid, rootless);

        (await skiff.RunAsync("init", "ini")).AssertSuccess();
        pid = int.Parse(await FieldAsync(skiff, "ini", "{{.State.Pid}}"), CultureInfo.InvariantCulture);
        (await skiff.RunAsync("rm", "ini")).AssertSuccess();
        AssertLeftNothing(id, pid, rootless);

        string forced = (await skiff.RunAsync("create", "--name", "inf", "--network", "none", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess().Stdout.Trim();
        (await skiff.RunAsync("init", "inf")).AssertSuccess();
        pid = int.Parse(await FieldAsync(skiff, "inf", "{{.State.Pid}}"), CultureInfo.InvariantCulture);
        (await skiff.RunAsync("rm", "-f", "inf")).AssertSuccess();
        AssertLeftNothing(forced, pid, rootless);
    }

    [Theory, RootAndRootless]
    public async Task Start_attach_and_a_killed_monitor_of_an_initialized_container(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);

        // start -a: the output from the process's first instruction on, and its exit code.
        (await skiff.RunAsync("create", "--name", "ina", "--network", "none", "--rootfs", rootfs, "sh", "-c", "echo first; exit 7")).AssertSuccess();
        (await skiff.RunAsync("init", "ina")).AssertSuccess();
        ProcessResult attached = await skiff.RunAsync("start", "-a", "ina");
        attached.AssertExitCode(7);
        Assert.Equal("first\n", attached.Stdout);

        // kill -9 of the monitor: nobody can start that init any more; the next command shows it created, the init is gone.
        string id = (await skiff.RunAsync("create", "--name", "ink", "--network", "none", "--rootfs", rootfs, "sh", "-c", "echo again; sleep 1000")).AssertSuccess().Stdout.Trim();
        (await skiff.RunAsync("init", "ink")).AssertSuccess();
        int monitor = int.Parse(await FieldAsync(skiff, "ink", "{{.State.ConmonPid}}"), CultureInfo.InvariantCulture);
        int pid = int.Parse(await FieldAsync(skiff, "ink", "{{.State.Pid}}"), CultureInfo.InvariantCulture);
        System.Diagnostics.Process.GetProcessById(monitor).Kill();
        await Poll.UntilAsync(() => Task.FromResult(!Alive(monitor)));
        Assert.Equal("created", await FieldAsync(skiff, "ink", "{{.State.Status}}"));
        Assert.Contains("monitor died", await FieldAsync(skiff, "ink", "{{.State.Error}}"));
        await Poll.UntilAsync(() => Task.FromResult(!Alive(pid)));
        if (!rootless)
        {
            Assert.Empty(CgroupsOf(id));
        }

        (await skiff.RunAsync("start", "ink")).AssertSuccess();
        await Poll.UntilAsync(async () => (await skiff.RunAsync("logs", "ink")).Stdout == "again\n");
        (await skiff.RunAsync("rm", "-f", "-t", "0", "ina", "ink")).AssertSuccess();
    }

    private static void AssertLeftNothing(string id, int pid, bool rootless)
    {
        Assert.False(Alive(pid), $"the init (pid {pid}) still runs");
        if (!rootless)
        {
            Assert.Empty(CgroupsOf(id));
            Assert.DoesNotContain(id, File.ReadAllText("/proc/self/mountinfo"), StringComparison.Ordinal);
        }
    }

    /// <summary>The process exists and is not a zombie (pid 1 here may not reap what it inherits).</summary>
    private static bool Alive(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static List<string> CgroupsOf(string id) =>
        Directory.Exists("/sys/fs/cgroup")
            ? Directory.EnumerateDirectories("/sys/fs/cgroup").SelectMany(controller => SafeFind(controller, id)).ToList()
            : [];

    private static IEnumerable<string> SafeFind(string controller, string id)
    {
        try
        {
            return Directory.EnumerateDirectories(controller, "*" + id + "*", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 3, IgnoreInaccessible = true }).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static async Task<string> FieldAsync(SkiffCli skiff, string name, string format) =>
        (await skiff.RunAsync("inspect", "--format", format, name)).AssertSuccess().Stdout.Trim();
}

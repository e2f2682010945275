using System.Diagnostics;
using Skiff.Runtime.Cgroups;
using Skiff.Tests.Support;

namespace Skiff.Tests.E2E.Cgroups;

/// <summary>
/// The cgroup v2 device filter on this machine's real cgroup2 (the hybrid layout's /sys/fs/cgroup/unified, where a
/// device program applies to its members as on a pure v2 machine): the kernel's verifier takes the program, and a
/// process moved into the group is held to the rules. The node 1:200 has no driver: EPERM means the filter refused
/// the open, ENXIO ("No such device or address") that it let it through.
/// </summary>
[Trait("Category", "E2E")]
public sealed class DeviceFilterRootTests : IDisposable
{
    private const string Unified = "/sys/fs/cgroup/unified";

    private readonly string _dir = Directory.CreateTempSubdirectory("skiff-devfilter-").FullName;
    private readonly string _group = Path.Combine(Unified, "skiff-devfilter-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        if (Directory.Exists(_group))
        {
            Directory.Delete(_group);
        }
    }

    [Fact]
    public async Task A_process_in_the_group_gets_only_the_access_the_rules_give()
    {
        Assert.True(TestEnvironment.IsRoot, "attaching a device program needs root");
        Assert.True(File.Exists(Path.Combine(Unified, "cgroup.procs")), $"{Unified} is not a cgroup2 mount");
        string node = Path.Combine(_dir, "n");
        Assert.Equal(0, Process.Start("mknod", [node, "c", "1", "200"])!.WaitForExitAndReturnCode());
        Directory.CreateDirectory(_group);
        DeviceFilter.Attach(_group, [DeviceRule.DenyAll, new DeviceRule(true, 'c', 1, 200, "r")]);

        var start = new ProcessStartInfo("/bin/sh", ["-c", $"read go; cat {node} 2>&1; echo x 2>&1 > {node}; cat /dev/null && echo DEFAULT-OK"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using Process shell = Process.Start(start)!;
        // In the group before it opens anything: it waits for the line below.
        File.WriteAllText(Path.Combine(_group, "cgroup.procs"), shell.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await shell.StandardInput.WriteLineAsync("go");
        shell.StandardInput.Close();
        string output = await shell.StandardOutput.ReadToEndAsync() + await shell.StandardError.ReadToEndAsync();
        await shell.WaitForExitAsync();

        Assert.Contains("No such device or address", output);
        Assert.Contains("Operation not permitted", output);
        Assert.Contains("DEFAULT-OK", output);
    }
}

internal static class ProcessExitExtensions
{
    public static int WaitForExitAndReturnCode(this Process process)
    {
        process.WaitForExit();
        return process.ExitCode;
    }
}

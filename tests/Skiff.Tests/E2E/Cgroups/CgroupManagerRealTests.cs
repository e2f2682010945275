using System.Diagnostics;
using Skiff.Runtime.Cgroups;
using Skiff.Tests.Support;

namespace Skiff.Tests.E2E.Cgroups;

/// <summary>The real cgroup hierarchy of this machine, as root: create, limit, run, observe, freeze, remove.</summary>
[Trait("Category", "E2E")]
public class CgroupManagerRealTests
{
    private static ICgroupManager RootManager()
    {
        Assert.True(TestEnvironment.IsRoot, "cgroup tests need root (tests/run.sh runs them as root)");
        CgroupLayout layout = CgroupLayoutDetector.Detect();
        ICgroupManager? manager = CgroupManagerSelector.Select(layout, rootless: false, CgroupResources.None, null, null);
        Assert.NotNull(manager);
        return manager;
    }

    private static Process StartShell(string script)
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        return Process.Start(info)!;
    }

    [Fact]
    public void Limits_are_written_and_the_process_runs_inside()
    {
        ICgroupManager manager = RootManager();
        string id = "test-" + Guid.NewGuid().ToString("N")[..12];
        using Process shell = StartShell("read line; echo $line");
        string group = manager.Create(id, new CgroupResources(Memory: 32L << 20, CpuQuota: 50_000, CpuPeriod: 100_000, PidsLimit: 20), shell.Id);
        try
        {
            string procCgroup = File.ReadAllText($"/proc/{shell.Id}/cgroup");
            Assert.Contains(group, procCgroup);
            if (manager.Version == 1)
            {
                Assert.Equal("33554432", File.ReadAllText($"/sys/fs/cgroup/memory/{group}/memory.limit_in_bytes").Trim());
                Assert.Equal("50000", File.ReadAllText($"/sys/fs/cgroup/cpu/{group}/cpu.cfs_quota_us").Trim());
                Assert.Equal("20", File.ReadAllText($"/sys/fs/cgroup/pids/{group}/pids.max").Trim());
            }

            CgroupStats stats = manager.ReadStats(group);
            Assert.Equal(33554432UL, stats.MemoryLimit);
            Assert.Equal(20UL, stats.PidsLimit);
            Assert.True(stats.Pids >= 1, $"pids.current was {stats.Pids}");

            manager.Freeze(group);
            string freezeState = manager.Version == 1
                ? File.ReadAllText($"/sys/fs/cgroup/freezer/{group}/freezer.state").Trim()
                : File.ReadAllText($"/sys/fs/cgroup/{group}/cgroup.events").Contains("frozen 1", StringComparison.Ordinal) ? "FROZEN" : "not frozen";
            Assert.Equal("FROZEN", freezeState);
            manager.Thaw(group);
            shell.StandardInput.WriteLine("hello");
            Assert.Equal("hello", shell.StandardOutput.ReadLine());
            shell.WaitForExit();
            Assert.False(manager.WasOomKilled(group));
        }
        finally
        {
            manager.Remove(group);
        }

        Assert.False(Directory.Exists($"/sys/fs/cgroup/memory/{group}"));
        Assert.False(Directory.Exists($"/sys/fs/cgroup/pids/{group}"));
    }

    [Fact]
    public void Allocating_past_the_memory_limit_is_an_oom_kill()
    {
        ICgroupManager manager = RootManager();
        string id = "test-" + Guid.NewGuid().ToString("N")[..12];
        // The shell waits for a line so the allocation starts only once it is inside the group; the
        // command substitution holds 64 MiB in the shell's memory, twice the limit.
        using Process shell = StartShell("read line; x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo survived");
        string group = manager.Create(id, new CgroupResources(Memory: 32L << 20), shell.Id);
        try
        {
            shell.StandardInput.WriteLine("go");
            shell.WaitForExit();
            Assert.NotEqual(0, shell.ExitCode);
            Assert.True(manager.WasOomKilled(group), "the kernel did not report an OOM kill in the group");
        }
        finally
        {
            manager.Remove(group);
        }
    }

    [Fact]
    public void Remove_kills_what_is_left()
    {
        ICgroupManager manager = RootManager();
        string id = "test-" + Guid.NewGuid().ToString("N")[..12];
        using Process shell = StartShell("sleep 600 & wait");
        string group = manager.Create(id, CgroupResources.None, shell.Id);
        manager.Freeze(group);
        manager.Remove(group);
        shell.WaitForExit();
        Assert.True(shell.HasExited);
    }
}

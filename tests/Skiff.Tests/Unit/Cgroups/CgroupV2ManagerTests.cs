using Skiff.Core.Errors;
using Skiff.Runtime.Cgroups;

namespace Skiff.Tests.Unit.Cgroups;

public class CgroupV2ManagerTests
{
    private static readonly string[] All = ["cpuset", "cpu", "io", "memory", "pids"];

    [Fact]
    public void Creates_group_enables_controllers_and_writes_every_limit()
    {
        using var tree = new FakeCgroupTree(All);
        tree.AddGroup("skiff", All);
        tree.AddGroup("skiff/c1", All);
        var manager = new CgroupV2Manager(tree.Root);
        var resources = new CgroupResources(32L << 20, 48L << 20, 50_000, 100_000, 1024, "0-1", 20, 500, 16L << 20);

        string group = manager.Create("c1", resources, 4242);

        Assert.Equal("skiff/c1", group);
        Assert.Equal("+cpu +io +memory +pids +cpuset", tree.Read(string.Empty, "cgroup.subtree_control"));
        Assert.Equal("+cpu +io +memory +pids +cpuset", tree.Read("skiff", "cgroup.subtree_control"));
        Assert.Equal("33554432", tree.Read(group, "memory.max"));
        Assert.Equal("16777216", tree.Read(group, "memory.swap.max"));
        Assert.Equal("16777216", tree.Read(group, "memory.low"));
        Assert.Equal("50000 100000", tree.Read(group, "cpu.max"));
        Assert.Equal("39", tree.Read(group, "cpu.weight"));
        Assert.Equal("0-1", tree.Read(group, "cpuset.cpus"));
        Assert.Equal("20", tree.Read(group, "pids.max"));
        Assert.Equal("default 4950", tree.Read(group, "io.weight"));
        Assert.Equal("4242", tree.Read(group, "cgroup.procs"));
    }

    [Fact]
    public void Default_swap_equals_memory_and_unlimited_values_are_max()
    {
        using var tree = new FakeCgroupTree(All);
        tree.AddGroup("skiff", All);
        tree.AddGroup("skiff/c2", All);
        var manager = new CgroupV2Manager(tree.Root);
        manager.Create("c2", new CgroupResources(Memory: 64L << 20, PidsLimit: -1), 1);
        Assert.Equal("67108864", tree.Read("skiff/c2", "memory.swap.max"));
        Assert.Equal("max", tree.Read("skiff/c2", "pids.max"));

        manager.Update("skiff/c2", new CgroupResources(Memory: 64L << 20, MemorySwap: -1, CpuQuota: -1, CpuPeriod: 100_000));
        Assert.Equal("max", tree.Read("skiff/c2", "memory.swap.max"));
        Assert.Equal("max 100000", tree.Read("skiff/c2", "cpu.max"));
    }

    [Fact]
    public void Missing_controller_refuses_the_limit_and_names_the_flag()
    {
        using var tree = new FakeCgroupTree("memory", "pids");
        tree.AddGroup("skiff", "memory", "pids");
        var manager = new CgroupV2Manager(tree.Root, delegationHint: "delegate it");
        SkiffException e = Assert.Throws<SkiffException>(() => manager.Create("c3", new CgroupResources(CpuShares: 512), 1));
        Assert.Equal(ErrorKind.PrerequisiteMissing, e.Kind);
        Assert.Contains("--cpu-shares", e.Message);
        Assert.Contains("cpu cgroup controller is not available", e.Message);
        Assert.Equal("delegate it", e.Hint);
        Assert.False(Directory.Exists(Path.Combine(tree.Root, "skiff", "c3")));
    }

    [Fact]
    public void Oom_freeze_stats_and_remove()
    {
        using var tree = new FakeCgroupTree(All);
        tree.AddGroup("skiff", All);
        string directory = tree.AddGroup("skiff/c4", All);
        var manager = new CgroupV2Manager(tree.Root);
        Assert.False(manager.WasOomKilled("skiff/c4"));
        tree.Write("skiff/c4", "memory.events", "low 0\noom 2\noom_kill 1\n");
        Assert.True(manager.WasOomKilled("skiff/c4"));

        tree.Write("skiff/c4", "cgroup.events", "populated 1\nfrozen 1\n");
        manager.Freeze("skiff/c4");
        Assert.Equal("1", tree.Read("skiff/c4", "cgroup.freeze"));

        tree.Write("skiff/c4", "memory.current", "1000\n");
        tree.Write("skiff/c4", "memory.stat", "anon 900\ninactive_file 100\n");
        tree.Write("skiff/c4", "memory.max", "max\n");
        tree.Write("skiff/c4", "cpu.stat", "usage_usec 1500\nuser_usec 1000\n");
        tree.Write("skiff/c4", "pids.current", "3\n");
        tree.Write("skiff/c4", "pids.max", "20\n");
        tree.Write("skiff/c4", "io.stat", "8:0 rbytes=4096 wbytes=512 rios=1 wios=1\n8:16 rbytes=1 wbytes=1\n");
        Assert.Equal(new CgroupStats(900, null, 1_500_000, 3, 20, 4097, 513), manager.ReadStats("skiff/c4"));
        File.Delete(Path.Combine(directory, "pids.current"));
        tree.Write("skiff/c4", "cgroup.threads", "41\n42\n");
        Assert.Equal(2UL, manager.ReadStats("skiff/c4").Pids);

        // A real cgroup directory only holds kernel files, which rmdir ignores; the fake's are real files.
        foreach (string file in Directory.GetFiles(directory))
        {
            File.Delete(file);
        }

        manager.Remove("skiff/c4");
        Assert.False(Directory.Exists(directory));
        manager.Remove("skiff/c4");
    }

    [Fact]
    public void Systemd_creates_a_delegated_scope_then_writes_limits_into_it()
    {
        using var tree = new FakeCgroupTree(All);
        tree.AddGroup("user.slice", All);
        const string scope = "user.slice/skiff-c5.scope";
        var systemd = new FakeSystemd(request => tree.AddGroup($"{request.Slice}/{request.UnitName}", All));
        var manager = new SystemdCgroupManager(systemd, tree.Root, "user.slice", pid => pid == 77 ? "/" + scope : null);

        string group = manager.Create("c5", new CgroupResources(Memory: 32L << 20, PidsLimit: 10), 77);

        Assert.Equal(scope, group);
        Assert.Equal(["start skiff-c5.scope slice=user.slice pid=77 delegate=True"], systemd.Calls);
        Assert.Equal("33554432", tree.Read(scope, "memory.max"));
        Assert.Equal("10", tree.Read(scope, "pids.max"));
        Assert.Equal("systemd", manager.Name);
    }

    [Fact]
    public void Systemd_scope_without_the_controller_is_stopped_and_refused()
    {
        using var tree = new FakeCgroupTree(All);
        tree.AddGroup("user.slice", "memory");
        var systemd = new FakeSystemd(request => tree.AddGroup($"{request.Slice}/{request.UnitName}", "memory"));
        var manager = new SystemdCgroupManager(systemd, tree.Root, "user.slice", _ => "/user.slice/skiff-c6.scope");
        SkiffException e = Assert.Throws<SkiffException>(() => manager.Create("c6", new CgroupResources(PidsLimit: 10), 5));
        Assert.Contains("--pids-limit", e.Message);
        Assert.Contains("stop skiff-c6.scope", systemd.Calls);
    }
}

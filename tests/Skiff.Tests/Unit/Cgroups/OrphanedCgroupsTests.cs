using Skiff.Runtime.Cgroups;

namespace Skiff.Tests.Unit.Cgroups;

/// <summary>Orphaned container cgroups on fake trees: a cgroup2 hierarchy and a v1 one (memory), each with skiff's parent.</summary>
public sealed class OrphanedCgroupsTests : IDisposable
{
    /// <summary>The real time: a directory made by a test without a time given is young, as on cgroupfs.</summary>
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly FakeCgroupTree _unified = new("memory", "pids");
    private readonly FakeCgroupTree _memory = new();

    public OrphanedCgroupsTests()
    {
        _unified.AddGroup("skiff");
        _memory.AddGroup("skiff");
    }

    private OrphanedCgroups Orphans => new([Path.Combine(_unified.Root, "skiff"), Path.Combine(_memory.Root, "skiff")], KernelRmdir);

    [Fact]
    public void An_old_empty_group_of_no_container_of_this_store_is_an_orphan_in_every_hierarchy()
    {
        string id = Id('a');
        Made(_unified, "skiff/" + id, Now.AddMinutes(-5));
        Made(_memory, "skiff/" + id, Now.AddMinutes(-5));

        Assert.Equal(
            new[] { Path.Combine(_unified.Root, "skiff", id), Path.Combine(_memory.Root, "skiff", id) }.Order(StringComparer.Ordinal),
            Orphans.Find(new HashSet<string>(), Now));
    }

    [Fact]
    public void A_group_with_a_process_a_young_group_this_stores_own_and_other_names_are_kept()
    {
        string withProcess = Id('b'), young = Id('c'), own = Id('d'), processBelow = Id('e'), processElsewhere = Id('f');
        Made(_unified, "skiff/" + withProcess, Now.AddHours(-1));
        _unified.Write("skiff/" + withProcess, "cgroup.procs", "4242\n");
        Made(_unified, "skiff/" + young, Now.AddSeconds(-59));
        Made(_unified, "skiff/" + own, Now.AddHours(-1));
        Made(_unified, "skiff/not-a-container", Now.AddHours(-1));
        Made(_unified, "skiff/" + processBelow, Now.AddHours(-1));
        Made(_unified, $"skiff/{processBelow}/nested", Now.AddHours(-1));
        _unified.Write($"skiff/{processBelow}/nested", "cgroup.procs", "7\n");

        // crun on a hybrid machine: the container's process is in its v1 groups, its cgroup2 group is empty.
        Made(_unified, "skiff/" + processElsewhere, Now.AddHours(-1));
        Made(_memory, "skiff/" + processElsewhere, Now.AddHours(-1));
        _memory.Write("skiff/" + processElsewhere, "cgroup.procs", "99\n");

        Assert.Empty(Orphans.Find(new HashSet<string> { own }, Now));
    }

    [Fact]
    public void The_age_is_the_newest_group_made_in_the_subtree()
    {
        string id = Id('1');
        Made(_unified, "skiff/" + id, Now.AddHours(-1));
        Made(_unified, $"skiff/{id}/child", Now.AddSeconds(-10));
        Directory.SetLastWriteTimeUtc(Path.Combine(_unified.Root, "skiff", id), Now.AddHours(-1).UtcDateTime);

        Assert.Empty(Orphans.Find(new HashSet<string>(), Now));
        Assert.Single(Orphans.Find(new HashSet<string>(), Now.AddSeconds(50)));
    }

    [Fact]
    public void Repair_removes_children_first_and_never_a_group_that_gained_a_process()
    {
        string id = Id('2'), joined = Id('3');
        Made(_unified, "skiff/" + id, Now.AddHours(-1));
        Made(_unified, $"skiff/{id}/a/b", Now.AddHours(-1));
        Made(_unified, "skiff/" + joined, Now.AddHours(-1));
        OrphanedCgroups orphans = Orphans;
        Assert.Equal(2, orphans.Find(new HashSet<string>(), Now).Count);

        _unified.Write("skiff/" + joined, "cgroup.procs", "4242\n");
        Assert.True(orphans.TryRemove(Path.Combine(_unified.Root, "skiff", id)));
        Assert.False(orphans.TryRemove(Path.Combine(_unified.Root, "skiff", joined)));

        Assert.False(Directory.Exists(Path.Combine(_unified.Root, "skiff", id)));
        Assert.True(Directory.Exists(Path.Combine(_unified.Root, "skiff", joined)));
        Assert.True(Directory.Exists(Path.Combine(_unified.Root, "skiff")));
    }

    [Fact]
    public void Root_looks_under_every_hierarchy_a_rootless_user_only_under_a_delegated_group()
    {
        var empty = new HashSet<string>();
        var hybrid = new CgroupLayout(
            CgroupMode.Hybrid,
            new Dictionary<string, string> { ["memory"] = "/cg/memory", ["cpu"] = "/cg/cpu,cpuacct", ["cpuacct"] = "/cg/cpu,cpuacct" },
            "/cg/unified",
            empty,
            ["/cg/systemd"]);
        var unified = new CgroupLayout(CgroupMode.Unified, new Dictionary<string, string>(), "/cg", empty);
        var delegated = new CgroupDelegation("user.slice/user-1001.slice/user@1001.service", Writable: true, empty);

        Assert.Equal(
            ["/cg/memory/skiff", "/cg/cpu,cpuacct/skiff", "/cg/systemd/skiff", "/cg/unified/skiff"],
            OrphanedCgroups.ParentsFor(hybrid, rootless: false, delegation: null));
        Assert.Equal(["/cg/skiff"], OrphanedCgroups.ParentsFor(unified, rootless: false, delegation: null));
        Assert.Empty(OrphanedCgroups.ParentsFor(hybrid, rootless: true, delegated));
        Assert.Empty(OrphanedCgroups.ParentsFor(unified, rootless: true, delegated with { Writable = false }));
        Assert.Equal(["/cg/user.slice/user-1001.slice/user@1001.service/skiff"], OrphanedCgroups.ParentsFor(unified, rootless: true, delegated));
    }

    public void Dispose()
    {
        _unified.Dispose();
        _memory.Dispose();
    }

    private static string Id(char c) => new(c, 64);

    /// <summary>A group made at <paramref name="time"/>, with the groups above it (making a directory touches its parent's time).</summary>
    private static void Made(FakeCgroupTree tree, string relative, DateTimeOffset time)
    {
        tree.AddGroup(relative);
        for (string directory = Path.Combine(tree.Root, relative); directory.Length > tree.Root.Length; directory = Path.GetDirectoryName(directory)!)
        {
            Directory.SetLastWriteTimeUtc(directory, time.UtcDateTime);
        }
    }

    /// <summary>The kernel's rmdir on a cgroup: EBUSY with a process or a child group; the interface files go with it.</summary>
    private static void KernelRmdir(string directory)
    {
        string procs = Path.Combine(directory, "cgroup.procs");
        if ((File.Exists(procs) && File.ReadAllText(procs).Trim().Length > 0) || Directory.GetDirectories(directory).Length > 0)
        {
            throw new IOException($"rmdir {directory}: Device or resource busy");
        }

        Directory.Delete(directory, recursive: true);
    }
}

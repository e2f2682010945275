using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Mounts;

namespace Skiff.Tests.Unit.Mounts;

/// <summary>A container without a group of its own sees the groups it inherited (runc's rootless view on cgroup v1).</summary>
public sealed class InheritedCgroupSourcesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("skiff-inherited-cgroups-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void On_cgroup_v1_each_hierarchy_gives_the_callers_group_in_it()
    {
        foreach (string dir in new[] { "cpu,cpuacct", "memory/process_api/abc", "pids/user.slice", "systemd/user.slice/s.scope", "unified" })
        {
            Directory.CreateDirectory(Path.Combine(_root, dir));
        }

        string cpu = Path.Combine(_root, "cpu,cpuacct");
        var layout = new CgroupLayout(
            CgroupMode.Hybrid,
            new Dictionary<string, string> { ["cpu"] = cpu, ["cpuacct"] = cpu, ["memory"] = Path.Combine(_root, "memory"), ["pids"] = Path.Combine(_root, "pids") },
            Path.Combine(_root, "unified"),
            new HashSet<string>(),
            [Path.Combine(_root, "systemd")]);
        IReadOnlyList<ProcCgroupEntry> entries = ProcCgroupEntry.Parse(
            "7:pids:/user.slice\n4:memory:/process_api/abc\n2:cpu,cpuacct:/\n1:name=systemd:/user.slice/s.scope\n0::/user.slice/s.scope\n3:freezer:/\n");

        Assert.Equal(
            [
                ("cpu,cpuacct", cpu),
                ("memory", Path.Combine(_root, "memory", "process_api/abc")),
                ("pids", Path.Combine(_root, "pids", "user.slice")),
                ("systemd", Path.Combine(_root, "systemd", "user.slice/s.scope")),
            ],
            CgroupMountSources.Inherited(layout, entries));
    }

    [Fact]
    public void On_cgroup_v2_the_callers_group_is_the_whole_view()
    {
        Directory.CreateDirectory(Path.Combine(_root, "user.slice", "s.scope"));
        var layout = new CgroupLayout(CgroupMode.Unified, new Dictionary<string, string>(), _root, new HashSet<string>());
        Assert.Equal([(string.Empty, Path.Combine(_root, "user.slice/s.scope"))], CgroupMountSources.Inherited(layout, ProcCgroupEntry.Parse("0::/user.slice/s.scope\n")));
        Assert.Empty(CgroupMountSources.Inherited(layout, ProcCgroupEntry.Parse("0::/gone\n")));
    }
}

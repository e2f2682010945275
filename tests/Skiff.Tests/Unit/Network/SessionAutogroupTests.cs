using Skiff.Rootless.Network;

namespace Skiff.Tests.Unit.Network;

/// <summary>When a nice value weighs only within its session (autogroups on, the process in the root task group).</summary>
public class SessionAutogroupTests
{
    private static string? NoFile(string path) => null;

    [Fact]
    public void A_v1_cpu_hierarchy_at_its_root_groups_by_session()
    {
        const string cgroups = "9:name=systemd:/\n4:memory:/process_api/x\n2:cpuacct:/\n1:cpu:/\n0::/\n";
        Assert.True(SessionAutogroup.GroupsProcess("1\n", cgroups, NoFile));
    }

    [Fact]
    public void A_v1_cpu_group_of_its_own_or_autogroups_off_does_not()
    {
        Assert.False(SessionAutogroup.GroupsProcess("1\n", "3:cpu,cpuacct:/user.slice\n0::/\n", NoFile));
        Assert.False(SessionAutogroup.GroupsProcess("0\n", "1:cpu:/\n0::/\n", NoFile));
        Assert.False(SessionAutogroup.GroupsProcess(null, "1:cpu:/\n", NoFile));
        Assert.False(SessionAutogroup.GroupsProcess("1", null, NoFile));
    }

    [Fact]
    public void On_cgroup_v2_a_group_counts_only_where_the_cpu_controller_reaches_it()
    {
        const string cgroups = "0::/user.slice/user-1000.slice/session-2.scope\n";
        string? Controllers(string value, string path) =>
            path == "/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope/cgroup.controllers" ? value : null;

        Assert.True(SessionAutogroup.GroupsProcess("1", cgroups, p => Controllers("memory pids\n", p)));
        Assert.False(SessionAutogroup.GroupsProcess("1", cgroups, p => Controllers("cpuset cpu io memory pids\n", p)));
        // Unreadable: not known, so not assumed.
        Assert.False(SessionAutogroup.GroupsProcess("1", cgroups, NoFile));
        Assert.True(SessionAutogroup.GroupsProcess("1", "0::/\n", NoFile));
    }
}

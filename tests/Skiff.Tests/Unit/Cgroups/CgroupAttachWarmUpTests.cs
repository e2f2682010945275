using Skiff.Runtime.Cgroups;

namespace Skiff.Tests.Unit.Cgroups;

public class CgroupAttachWarmUpTests
{
    [Fact]
    public void Hybrid_prefers_the_unified_group_then_the_v1_controllers_and_skips_named_hierarchies()
    {
        const string ProcSelfCgroup = """
            9:name=systemd:/
            8:pids:/
            4:memory:/process_api/30e0
            2:cpu,cpuacct:/user.slice/
            0::/
            """;

        string[] files = [.. CgroupAttachWarmUp.OwnProcsFiles(ProcSelfCgroup, "/sys/fs/cgroup", path => path == "/sys/fs/cgroup/unified")];

        Assert.Equal(
            [
                "/sys/fs/cgroup/unified/cgroup.procs",
                "/sys/fs/cgroup/pids/cgroup.procs",
                "/sys/fs/cgroup/memory/process_api/30e0/cgroup.procs",
                "/sys/fs/cgroup/cpu,cpuacct/user.slice/cgroup.procs",
            ],
            files);
    }

    [Fact]
    public void Pure_v2_uses_the_hierarchy_at_the_root()
    {
        string[] files = [.. CgroupAttachWarmUp.OwnProcsFiles("0::/user.slice/user-1000.slice/session-2.scope\n", "/sys/fs/cgroup", _ => false)];

        Assert.Equal(["/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope/cgroup.procs"], files);
    }

    [Fact]
    public void Lines_without_a_group_path_are_ignored()
    {
        Assert.Empty(CgroupAttachWarmUp.OwnProcsFiles("garbage\n3:pids\n", "/sys/fs/cgroup", _ => false));
    }
}

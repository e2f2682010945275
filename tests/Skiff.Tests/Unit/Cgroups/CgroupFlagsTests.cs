using Skiff.Core.Errors;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Spec;

namespace Skiff.Tests.Unit.Cgroups;

/// <summary>podman 4.3's --memory-swappiness, --oom-kill-disable, --cpuset-mems, --cgroup-parent, --cgroups and --requires: parsing and planning.</summary>
public sealed class CgroupFlagsTests
{
    private static readonly IReadOnlySet<int> OneNode = new HashSet<int> { 0 };

    private static CgroupLayout Hybrid(string root) => new(
        CgroupMode.Hybrid,
        new Dictionary<string, string> { ["memory"] = Path.Combine(root, "memory"), ["cpu"] = Path.Combine(root, "cpu"), ["pids"] = Path.Combine(root, "pids") },
        Path.Combine(root, "unified"),
        new HashSet<string>());

    private static CgroupLayout Unified(string root) => new(CgroupMode.Unified, new Dictionary<string, string>(), root, new HashSet<string> { "memory", "cpu", "pids" });

    [Theory]
    [InlineData("0", 0UL)]
    [InlineData("15", 15UL)]
    [InlineData("100", 100UL)]
    [InlineData("-1", null)]
    public void Swappiness_is_0_to_100_and_minus_1_asks_for_nothing(string flag, ulong? expected) =>
        Assert.Equal(expected, ResourceFlagParser.Parse(new ResourceFlags { MemorySwappiness = flag }, 4).MemorySwappiness);

    [Theory]
    [InlineData("101")]
    [InlineData("-2")]
    [InlineData("x")]
    public void Other_swappiness_values_are_refused(string flag)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => ResourceFlagParser.Parse(new ResourceFlags { MemorySwappiness = flag }, 4));
        Assert.Equal($"invalid value for --memory-swappiness: '{flag}'", e.Message);
    }

    [Fact]
    public void Cpuset_mems_must_name_existing_nodes_and_oom_kill_disable_is_true_or_unset()
    {
        Assert.Equal("0", ResourceFlagParser.Parse(new ResourceFlags { CpusetMems = "0" }, 4, OneNode).CpusetMems);
        Assert.Equal("0-3", ResourceFlagParser.Parse(new ResourceFlags { CpusetMems = "0-3" }, 4, null).CpusetMems);
        Assert.Contains("memory node 1 does not exist", Assert.Throws<SkiffException>(() => ResourceFlagParser.Parse(new ResourceFlags { CpusetMems = "0,1" }, 4, OneNode)).Message);
        Assert.Contains("invalid value for --cpuset-mems", Assert.Throws<SkiffException>(() => ResourceFlagParser.Parse(new ResourceFlags { CpusetMems = "a" }, 4, OneNode)).Message);
        Assert.True(ResourceFlagParser.Parse(new ResourceFlags { OomKillDisable = true }, 4).OomKillDisable);
        Assert.True(ResourceFlagParser.Parse(new ResourceFlags(), 4).IsEmpty);
    }

    [Fact]
    public void The_new_limits_go_through_the_bundle_and_back_and_name_their_controllers()
    {
        var resources = new CgroupResources(MemorySwappiness: 30, OomKillDisable: true, CpusetMems: "0");
        ResourcesSpec spec = OciResources.ToSpec(resources);
        Assert.Equal(30UL, spec.Memory!.Swappiness);
        Assert.True(spec.Memory.DisableOomKiller);
        Assert.Equal("0", spec.Cpu!.Mems);
        Assert.Equal(resources, Skiff.Runtime.Containers.RuntimeCgroup.FromSpec(spec));
        Assert.Equal(["--memory-swappiness", "--oom-kill-disable", "--cpuset-mems"], resources.RequiredControllers().Select(c => c.Flag));
        Assert.Equal(new CgroupResources(MemorySwappiness: 60, OomKillDisable: true, CpusetMems: "0"), resources.With(new CgroupResources(MemorySwappiness: 60)));
    }

    [Fact]
    public void Cgroup_v2_drops_swappiness_and_oom_kill_disable_with_a_warning()
    {
        var warnings = new List<string>();
        var resources = new CgroupResources(Memory: 64L << 20, MemorySwappiness: 30, OomKillDisable: true, CpusetMems: "0");
        CgroupResources v2 = new ContainerCgroups(Unified("/nonexistent"), rootless: false, () => null).Supported(resources, warnings.Add);
        Assert.Equal(new CgroupResources(Memory: 64L << 20, CpusetMems: "0"), v2);
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.StartsWith("WARNING: ", w, StringComparison.Ordinal));

        warnings.Clear();
        Assert.Equal(resources, new ContainerCgroups(Hybrid("/nonexistent"), rootless: false, () => null).Supported(resources, warnings.Add));
        Assert.Empty(warnings);
    }

    [Theory]
    [InlineData("/batch", "batch/abc")]
    [InlineData("batch/low", "batch/low/abc")]
    [InlineData("/", "abc")]
    public void Cgroup_parent_is_the_groups_parent(string parent, string group)
    {
        var cgroups = new ContainerCgroups(Hybrid("/nonexistent"), rootless: false, () => null);
        Assert.Equal(group, cgroups.Plan("abc", CgroupResources.None, parent)?.Group);
        Assert.Equal("skiff/abc", cgroups.Plan("abc", CgroupResources.None, null, CgroupsMode.NoConmon)?.Group);
    }

    [Fact]
    public void Rootless_on_v1_ignores_the_parent_as_podman_does()
    {
        var cgroups = new ContainerCgroups(Hybrid("/nonexistent"), rootless: true, () => null);
        Assert.Null(cgroups.Plan("abc", CgroupResources.None, "/batch"));
    }

    [Theory]
    [InlineData("../up", CgroupsMode.Enabled, "invalid cgroup parent \"../up\"")]
    [InlineData("a/./b", CgroupsMode.Enabled, "invalid cgroup parent \"a/./b\"")]
    [InlineData("", CgroupsMode.Enabled, "invalid cgroup parent \"\"")]
    [InlineData("x", CgroupsMode.Disabled, "cannot set cgroup parent if not creating cgroups: invalid argument")]
    [InlineData("x", CgroupsMode.Split, "cannot specify --cgroup-parent with --cgroups=split: invalid argument")]
    public void Bad_parents_are_refused(string parent, string mode, string message)
    {
        var cgroups = new ContainerCgroups(Hybrid("/nonexistent"), rootless: false, () => null);
        Assert.Equal(message, Assert.Throws<SkiffException>(() => cgroups.Plan("abc", CgroupResources.None, parent, mode)).Message);
    }

    [Fact]
    public void Disabled_plans_no_group_and_refuses_limits()
    {
        var cgroups = new ContainerCgroups(Hybrid("/nonexistent"), rootless: false, () => null);
        Assert.Null(cgroups.Plan("abc", CgroupResources.None, null, CgroupsMode.Disabled));
        Assert.Equal(
            "cannot specify resource limits when cgroups are disabled is specified",
            Assert.Throws<SkiffException>(() => cgroups.Plan("abc", new CgroupResources(PidsLimit: 5), null, CgroupsMode.Disabled)).Message);
    }

    [Fact]
    public void Split_is_under_the_callers_own_v2_group_and_refused_on_v1()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "0::/user.slice/session-1.scope\n");
            Assert.Equal("/user.slice/session-1.scope", CgroupsMode.SplitParent(Unified("/nonexistent"), file));
            SkiffException e = Assert.Throws<SkiffException>(() => CgroupsMode.SplitParent(Hybrid("/nonexistent"), file));
            Assert.Equal($"could not find cgroup mount in \"{file}\"", e.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(null, "enabled")]
    [InlineData("enabled", "enabled")]
    [InlineData("disabled", "disabled")]
    [InlineData("no-conmon", "no-conmon")]
    [InlineData("split", "split")]
    public void Cgroups_modes_are_podmans_four(string? flag, string expected) => Assert.Equal(expected, CgroupsMode.Parse(flag));

    [Fact]
    public void An_unknown_cgroups_mode_is_refused_with_podmans_message() =>
        Assert.Equal(
            "running container create option: invalid cgroup mode \"bogus\": invalid argument",
            Assert.Throws<SkiffException>(() => CgroupsMode.Parse("bogus")).Message);

    [Fact]
    public void Required_containers_are_dependencies_after_the_joined_ones()
    {
        string web = new('a', 64), db = new('b', 64);
        var config = new ContainerConfig
        {
            Id = new string('c', 64), Name = "app", Created = DateTimeOffset.UnixEpoch, Image = "img", Runtime = "skiff",
            NetworkMode = "container:" + web, Requires = [db, web],
        };
        Assert.Equal([web, db], ContainerDependencies.Of(config));
    }
}

using Skiff.Core.Errors;
using Skiff.Core.Users;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Cgroups.Systemd;

namespace Skiff.Tests.Unit.Cgroups;

/// <summary>
/// The systemd cgroup manager with the real D-Bus client, a real bus daemon and a fake systemd that makes
/// the scope's directory in a fake cgroup tree: the whole path skiff takes on a systemd machine, minus the kernel.
/// </summary>
public sealed class SystemdScopeOverDbusTests : IDisposable
{
    private static readonly string[] All = ["cpu", "io", "memory", "pids"];

    private readonly PrivateDbusDaemon _bus = PrivateDbusDaemon.Start();

    public void Dispose() => _bus.Dispose();

    [Fact]
    public async Task The_scope_gets_the_limits_and_is_stopped_on_remove()
    {
        using var tree = new FakeCgroupTree(All);
        tree.AddGroup("machine.slice", All);
        using FakeSystemdService systemd = await FakeSystemdService.RegisterAsync(_bus.Address);
        systemd.OnStart = (unit, slice) => tree.AddGroup($"{slice}/{unit}", All);
        systemd.OnStop = unit => Directory.Delete(Path.Combine(tree.Root, "machine.slice", unit), recursive: true);
        using var client = new SystemdDbusClient(_bus.Address, CurrentUser.Detect().Uid, TimeSpan.FromSeconds(20));
        var manager = new SystemdCgroupManager(client, tree.Root, "machine.slice", pid => pid == 4321 ? "/machine.slice/skiff-c7.scope" : null);

        string group = manager.Create("c7", new CgroupResources(Memory: 64L << 20, PidsLimit: 30), 4321);

        Assert.Equal("machine.slice/skiff-c7.scope", group);
        Assert.Equal(manager.GroupFor("c7"), group);
        Assert.Contains("PIDs:au=4321", Assert.Single(systemd.Starts).Properties);
        Assert.Equal("67108864", tree.Read(group, "memory.max"));
        Assert.Equal("30", tree.Read(group, "pids.max"));

        manager.Remove(group);

        Assert.Contains("stop skiff-c7.scope replace", systemd.Events);
        Assert.False(Directory.Exists(Path.Combine(tree.Root, group)));
    }

    [Fact]
    public async Task A_user_instance_keeps_its_slices_below_its_own_group_wherever_it_runs()
    {
        // A user manager started outside user@UID.service (as the E2E test of a real systemd does): its
        // slices are below its ControlGroup, and the limits must be checked and written there.
        const string instance = "ci/job7";
        using var tree = new FakeCgroupTree(All);
        tree.AddGroup($"{instance}/user.slice", "memory");
        using FakeSystemdService systemd = await FakeSystemdService.RegisterAsync(_bus.Address);
        systemd.ControlGroup = "/" + instance;
        systemd.OnStart = (unit, slice) => tree.AddGroup($"{instance}/{slice}/{unit}", "memory");
        using var client = new SystemdDbusClient(_bus.Address, CurrentUser.Detect().Uid, TimeSpan.FromSeconds(20));
        var manager = new SystemdCgroupManager(client, tree.Root, "user.slice", pid => pid == 99 ? $"/{instance}/user.slice/skiff-c8.scope" : null);

        Assert.Equal($"{instance}/user.slice/skiff-c8.scope", manager.GroupFor("c8"));
        SkiffException refused = Assert.Throws<SkiffException>(() => manager.CheckEnforceable(new CgroupResources(PidsLimit: 5)));
        Assert.Contains($"/{instance}/user.slice", refused.Message);
        string group = manager.Create("c8", new CgroupResources(Memory: 32L << 20), 99);
        Assert.Equal(manager.GroupFor("c8"), group);
        Assert.Equal("33554432", tree.Read(group, "memory.max"));
        Assert.Contains("call Get (ss)", systemd.Events);
    }

    [Fact]
    public void The_cgroups_path_names_a_scope_as_runc_reads_it()
    {
        SystemdCgroupsPath path = SystemdCgroupsPath.Parse("machine.slice:skiff:0123abcd", "user.slice");
        Assert.Equal("skiff-0123abcd.scope", path.UnitName);
        Assert.Equal("machine.slice", path.Slice);
        Assert.Equal("user.slice", SystemdCgroupsPath.Parse(":skiff:x", "user.slice").Slice);
        Assert.Equal("machine.slice:skiff:0123abcd", SystemdCgroupsPath.ForContainer("machine.slice", "0123abcd").ToString());
        Assert.Throws<SkiffException>(() => SystemdCgroupsPath.Parse("/machine.slice/skiff-x.scope", "user.slice"));
        Assert.Throws<SkiffException>(() => SystemdCgroupsPath.Parse("machine:skiff:x", "user.slice"));
    }
}

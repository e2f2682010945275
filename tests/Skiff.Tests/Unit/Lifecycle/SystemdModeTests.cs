using System.Text.Json.Nodes;
using Skiff.Core.Errors;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Mounts;
using Skiff.Runtime.Spec;

namespace Skiff.Tests.Unit.Lifecycle;

/// <summary>podman's --systemd: the mode decision, the mounts it adds, and what the bundle and the stored config get.</summary>
public sealed class SystemdModeTests : IDisposable
{
    private static readonly IReadOnlySet<string> NoControllers = new HashSet<string>();

    private readonly string _dir = Directory.CreateTempSubdirectory("skiff-systemd-mode-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(null, "true")]
    [InlineData("true", "true")]
    [InlineData("TRUE", "true")]
    [InlineData("false", "false")]
    [InlineData("Always", "always")]
    public void Parses_podmans_three_values_in_any_case(string? flag, string expected) =>
        Assert.Equal(expected, SystemdMode.Parse(flag));

    [Theory]
    [InlineData("yes")]
    [InlineData("")]
    [InlineData("1")]
    public void Refuses_other_values_with_podmans_error(string flag)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => SystemdMode.Parse(flag));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("invalid config provided: --systemd values must be one of \"true, false, always\"", e.Message);
    }

    [Theory]
    [InlineData("true", true, "/sbin/init")]
    [InlineData("true", true, "/usr/sbin/init")]
    [InlineData("true", true, "/usr/local/sbin/init")]
    [InlineData("true", true, "/lib/systemd/systemd", "--log-level=debug")]
    [InlineData("true", true, "systemd")]
    [InlineData("true", true, "/bin/sh", "-c", "/sbin/init")]
    [InlineData("true", false, "/bin/sh", "-c")]
    [InlineData("true", false, "init")]
    [InlineData("true", false, "/bin/init")]
    [InlineData("true", false, "/usr/bin/systemd-nspawn")]
    [InlineData("true", false, "sh", "-c", "/sbin/init")]
    [InlineData("true", false, "/run/skiff-init", "--", "/sbin/init")]
    [InlineData("true", false)]
    [InlineData("false", false, "/sbin/init")]
    [InlineData("always", true, "sh")]
    [InlineData("always", true)]
    public void Applies_as_podman_decides_on_the_command(string setting, bool expected, params string[] command) =>
        Assert.Equal(expected, SystemdMode.Applies(setting, command));

    [Fact]
    public void Container_uuid_is_the_ids_first_32_hex_digits() =>
        Assert.Equal("container_uuid=" + new string('a', 16) + new string('b', 16), SystemdMode.ContainerUuid(new string('a', 16) + new string('b', 48)));

    [Fact]
    public void Tmpfs_goes_where_the_user_mounted_nothing()
    {
        Assert.Equal(["/run", "/run/lock", "/tmp", "/var/log/journal"], SystemdMounts.Tmpfs([]).Select(m => m.Destination));
        List<SpecMount> some = SystemdMounts.Tmpfs(["/tmp/", "/run/lock", "/var/log"]);
        Assert.Equal(["/run", "/var/log/journal"], some.Select(m => m.Destination));
        Assert.All(some, m =>
        {
            Assert.Equal("tmpfs", m.Type);
            Assert.Equal(["rw", "rprivate", "nosuid", "nodev", "tmpcopyup"], m.Options);
        });
    }

    [Fact]
    public void On_cgroup_v1_the_name_systemd_hierarchy_is_bound_writable_and_its_release_agent_masked()
    {
        List<SpecMount> mounts = [Cgroup("ro")];
        var masked = new List<string>();
        SystemdMounts.ApplyCgroup(mounts, masked, Hybrid(named: true), cgroupNamespace: false);
        Assert.Equal(["/sys/fs/cgroup", "/sys/fs/cgroup/systemd"], mounts.Select(m => m.Destination));
        Assert.Contains("ro", mounts[0].Options!);
        Assert.Equal(("bind", "/sys/fs/cgroup/systemd"), (mounts[1].Type, mounts[1].Source));
        Assert.Contains("rw", mounts[1].Options!);
        Assert.DoesNotContain("ro", mounts[1].Options!);
        Assert.Equal(["/sys/fs/cgroup/systemd/release_agent"], masked);
    }

    [Fact]
    public void On_cgroup_v1_without_a_group_of_its_own_the_hierarchies_are_mounted_first()
    {
        // Rootless on v1: the bundle has no /sys/fs/cgroup mount; the bind needs one under it.
        var mounts = new List<SpecMount>();
        SystemdMounts.ApplyCgroup(mounts, [], Hybrid(named: true), cgroupNamespace: false);
        Assert.Equal(["/sys/fs/cgroup", "/sys/fs/cgroup/systemd"], mounts.Select(m => m.Destination));
        Assert.Equal("cgroup", mounts[0].Type);
    }

    [Fact]
    public void On_cgroup_v1_without_a_name_systemd_hierarchy_nothing_changes()
    {
        List<SpecMount> mounts = [Cgroup("ro")];
        var masked = new List<string>();
        SystemdMounts.ApplyCgroup(mounts, masked, Hybrid(named: false), cgroupNamespace: false);
        Assert.Single(mounts);
        Assert.Empty(masked);
    }

    [Theory]
    [InlineData(true, "cgroup", "cgroup")]
    [InlineData(false, "bind", "/sys/fs/cgroup")]
    public void On_cgroup_v2_sys_fs_cgroup_becomes_writable(bool cgroupNamespace, string type, string source)
    {
        List<SpecMount> mounts = [new SpecMount { Destination = "/proc", Type = "proc", Source = "proc" }, Cgroup("ro")];
        SystemdMounts.ApplyCgroup(mounts, [], new CgroupLayout(CgroupMode.Unified, new Dictionary<string, string>(), "/sys/fs/cgroup", NoControllers), cgroupNamespace);
        Assert.Equal(["/proc", "/sys/fs/cgroup"], mounts.Select(m => m.Destination));
        Assert.Equal((type, source), (mounts[1].Type, mounts[1].Source));
        Assert.Contains("rw", mounts[1].Options!);
        Assert.DoesNotContain("ro", mounts[1].Options!);
    }

    [Fact]
    public void A_named_hierarchy_is_handed_over_only_when_the_spec_binds_it()
    {
        CgroupLayout layout = Hybrid(named: true);
        Assert.Empty(CgroupMountSources.NamedHandedOver(layout, [Cgroup("ro")]));
        Assert.Equal(["/sys/fs/cgroup/systemd"], CgroupMountSources.NamedHandedOver(layout,
            [Cgroup("ro"), new SpecMount { Destination = "/sys/fs/cgroup/systemd", Type = "bind", Source = "/sys/fs/cgroup/systemd", Options = ["bind", "rw"] }]));
        Assert.Empty(CgroupMountSources.NamedHandedOver(Hybrid(named: false),
            [new SpecMount { Destination = "/sys/fs/cgroup/systemd", Type = "bind", Source = "/sys/fs/cgroup/systemd" }]));
    }

    [Fact]
    public void The_bundle_of_a_systemd_container_has_the_tmpfs_below_containerenv_and_container_uuid()
    {
        ContainerConfig config = Config('s') with { Systemd = true, Mounts = [new ContainerMount("bind", "/src", "/run/app", null, [])] };
        JsonObject spec = WriteBundle(config);
        List<string> destinations = spec["mounts"]!.AsArray().Select(m => (string)m!["destination"]!).ToList();
        foreach (string tmpfs in new[] { "/run", "/run/lock", "/tmp", "/var/log/journal" })
        {
            Assert.Contains(tmpfs, destinations);
        }

        // The user's mount under /run and podman's /run/.containerenv come after the tmpfs that would hide them.
        Assert.True(destinations.IndexOf("/run") < destinations.IndexOf("/run/app"));
        Assert.True(destinations.IndexOf("/run") < destinations.IndexOf("/run/.containerenv"));
        Assert.True(destinations.IndexOf("/run") < destinations.IndexOf("/run/lock"));
        List<string> env = spec["process"]!["env"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Contains("container_uuid=" + new string('s', 32), env);
        Assert.Contains("container=podman", env);
        // inspect's Env is podman's: without container_uuid.
        Assert.DoesNotContain(BundleWriter.ProcessEnvironment(config, "h"), e => e.StartsWith("container_uuid=", StringComparison.Ordinal));
    }

    [Fact]
    public void A_users_tmp_mount_and_container_uuid_win()
    {
        ContainerConfig config = Config('u') with
        {
            Systemd = true, Env = ["container_uuid=mine"], Mounts = [new ContainerMount("tmpfs", "", "/tmp", null, ["size=1m"])],
        };
        JsonObject spec = WriteBundle(config);
        Assert.Single(spec["mounts"]!.AsArray(), m => (string)m!["destination"]! == "/tmp");
        Assert.Single(spec["process"]!["env"]!.AsArray(), e => ((string)e!).StartsWith("container_uuid=", StringComparison.Ordinal));
        Assert.Contains(spec["process"]!["env"]!.AsArray(), e => (string)e! == "container_uuid=mine");
    }

    [Fact]
    public void The_bundle_of_another_container_has_none_of_it()
    {
        JsonObject spec = WriteBundle(Config('n'));
        List<string> destinations = spec["mounts"]!.AsArray().Select(m => (string)m!["destination"]!).ToList();
        Assert.DoesNotContain("/run", destinations);
        Assert.DoesNotContain("/tmp", destinations);
        Assert.DoesNotContain(spec["process"]!["env"]!.AsArray(), e => ((string)e!).StartsWith("container_uuid=", StringComparison.Ordinal));
    }

    [Fact]
    public void The_stored_config_keeps_the_mode()
    {
        var store = new ContainerStore(Path.Combine(_dir, "root"), Path.Combine(_dir, "run"));
        store.Create(Config('a') with { Systemd = true });
        store.Create(Config('b'));
        Assert.True(store.ReadConfig(new string('a', 64)).Systemd);
        Assert.False(store.ReadConfig(new string('b', 64)).Systemd);
    }

    private JsonObject WriteBundle(ContainerConfig config)
    {
        var store = new ContainerStore(Path.Combine(_dir, "root"), Path.Combine(_dir, "run"));
        store.Create(config);
        new BundleWriter(store).Write(config, rootless: false);
        return JsonNode.Parse(File.ReadAllText(Path.Combine(store.BundleDirectory(config.Id), "config.json")))!.AsObject();
    }

    private static ContainerConfig Config(char id) => new()
    {
        Id = new string(id, 64), Name = "s" + id, Created = DateTimeOffset.UnixEpoch, Image = "img", Runtime = "skiff", Cmd = ["/sbin/init"],
    };

    private static SpecMount Cgroup(string access) =>
        new() { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup", Options = ["nosuid", "noexec", "nodev", "relatime", access] };

    private static CgroupLayout Hybrid(bool named) => new(
        CgroupMode.Hybrid,
        new Dictionary<string, string> { ["memory"] = "/sys/fs/cgroup/memory", ["pids"] = "/sys/fs/cgroup/pids" },
        "/sys/fs/cgroup/unified",
        NoControllers,
        named ? ["/sys/fs/cgroup/systemd"] : []);
}

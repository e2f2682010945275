using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Spec;

namespace Skiff.Tests.Unit.Seccomp;

public sealed class SecurityProfileTests
{
    [Fact]
    public void Defaults_are_podmans_capabilities_docker_seccomp_and_masked_paths()
    {
        SecurityProfile profile = SecurityProfile.For(false, [], [], new SecurityOptions(), 0);
        Assert.Equal(SpecDefaults.DefaultCapabilities.Order(), profile.Bounding.Order());
        Assert.Equal(SpecDefaults.DefaultCapabilities.Order(), profile.Effective.Order());
        Assert.Empty(profile.Inheritable);
        Assert.Empty(profile.Ambient);
        Assert.False(profile.NoNewPrivileges);
        Assert.Equal("SCMP_ACT_ERRNO", profile.Seccomp!.DefaultAction);
        Assert.Contains(profile.Seccomp.Syscalls!, r => r.Names.Contains("chroot"));
        Assert.DoesNotContain(profile.Seccomp.Syscalls!, r => r.Names.Contains("unshare"));
        foreach (string path in new[] { "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/dev/block" })
        {
            Assert.Contains(path, profile.MaskedPaths);
        }

        foreach (string path in new[] { "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger" })
        {
            Assert.Contains(path, profile.ReadonlyPaths);
        }
    }

    [Fact]
    public void Cap_add_and_drop_follow_docker()
    {
        SecurityProfile profile = SecurityProfile.For(false, ["net_admin", "CAP_SYS_PTRACE"], ["chown", "CAP_KILL"], new SecurityOptions(), 0);
        Assert.Contains("CAP_NET_ADMIN", profile.Effective);
        Assert.Contains("CAP_SYS_PTRACE", profile.Bounding);
        Assert.DoesNotContain("CAP_CHOWN", profile.Bounding);
        Assert.DoesNotContain("CAP_KILL", profile.Permitted);
        Assert.Contains(profile.Seccomp!.Syscalls!, r => r.Names.Contains("ptrace"));

        Assert.Equal(["CAP_NET_RAW"], SecurityProfile.For(false, ["NET_RAW"], ["ALL"], new SecurityOptions(), 0).Bounding);
        Assert.Equal(Capabilities.All.Count - 1, SecurityProfile.For(false, ["ALL"], ["MKNOD"], new SecurityOptions(), 0).Bounding.Count);
        Assert.Throws<SkiffException>(() => SecurityProfile.For(false, ["CAP_NOPE"], [], new SecurityOptions(), 0));
    }

    [Fact]
    public void A_non_root_process_gets_only_the_added_capabilities()
    {
        SecurityProfile plain = SecurityProfile.For(false, [], [], new SecurityOptions(), 1000);
        Assert.Equal(SpecDefaults.DefaultCapabilities.Order(), plain.Bounding.Order());
        Assert.Empty(plain.Effective);
        Assert.Empty(plain.Ambient);
        SecurityProfile added = SecurityProfile.For(false, ["NET_BIND_SERVICE"], [], new SecurityOptions(), 1000);
        Assert.Equal(["CAP_NET_BIND_SERVICE"], added.Effective);
        Assert.Equal(["CAP_NET_BIND_SERVICE"], added.Ambient);
    }

    [Fact]
    public void Privileged_has_every_capability_no_filter_and_nothing_masked()
    {
        SecurityProfile profile = SecurityProfile.For(true, [], ["SYS_MODULE"], new SecurityOptions(), 0);
        Assert.Equal(Capabilities.All.Count - 1, profile.Effective.Count);
        Assert.Null(profile.Seccomp);
        Assert.Empty(profile.MaskedPaths);
        Assert.Empty(profile.ReadonlyPaths);

        // "Every capability" is what skiff itself holds.
        Assert.Equal(["CAP_CHOWN", "CAP_SYS_ADMIN"], SecurityProfile.For(true, [], [], new SecurityOptions(), 0, ["CAP_CHOWN", "CAP_SYS_ADMIN"]).Bounding);
    }

    [Fact]
    public void Security_opt_values_parse_like_podman()
    {
        SecurityOptions options = SecurityOptions.Parse(["no-new-privileges", "seccomp=unconfined", "mask=/proc/cpuinfo:/sys/kernel", "unmask=/proc/keys:/proc/sys", "label=disable"]);
        Assert.True(options.NoNewPrivileges);
        SecurityProfile profile = SecurityProfile.For(false, [], [], options, 0);
        Assert.True(profile.NoNewPrivileges);
        Assert.Null(profile.Seccomp);
        Assert.Contains("/proc/cpuinfo", profile.MaskedPaths);
        Assert.Contains("/sys/kernel", profile.MaskedPaths);
        Assert.DoesNotContain("/proc/keys", profile.MaskedPaths);
        Assert.DoesNotContain("/proc/sys", profile.ReadonlyPaths);
        Assert.Contains("/proc/bus", profile.ReadonlyPaths);

        SecurityProfile all = SecurityProfile.For(false, [], [], SecurityOptions.Parse(["unmask=ALL"]), 0);
        Assert.Empty(all.MaskedPaths);
        Assert.Empty(all.ReadonlyPaths);
        Assert.False(SecurityOptions.Parse(["no-new-privileges=false"]).NoNewPrivileges);
        Assert.True(SecurityOptions.Parse(["no-new-privileges:true"]).NoNewPrivileges);
        Assert.Throws<SkiffException>(() => SecurityOptions.Parse(["bogus"]));
        Assert.Throws<SkiffException>(() => SecurityOptions.Parse(["mask=relative"]));
    }

    [Fact]
    public void A_custom_profile_is_resolved_from_its_json()
    {
        const string json = """
            {"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":13},
             {"name":"chmod","action":"SCMP_ACT_ERRNO","includes":{"caps":["CAP_SYS_ADMIN"]}}]}
            """;
        SecurityProfile profile = SecurityProfile.For(false, [], [], SecurityOptions.Parse(["seccomp=" + json]), 0);
        Assert.Equal("SCMP_ACT_ALLOW", profile.Seccomp!.DefaultAction);
        SeccompSyscall rule = Assert.Single(profile.Seccomp.Syscalls!);
        Assert.Equal(["mkdir", "mkdirat"], rule.Names);
        Assert.Equal(13u, rule.ErrnoRet);
    }
}

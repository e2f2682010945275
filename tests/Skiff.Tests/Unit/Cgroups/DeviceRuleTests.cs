using Skiff.Core.Errors;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Spec;

namespace Skiff.Tests.Unit.Cgroups;

public class DeviceRuleTests
{
    [Theory]
    [InlineData("c 1:3 rwm", true, 'c', 1L, 3L, "rwm")]
    [InlineData("b *:* m", true, 'b', null, null, "m")]
    [InlineData("c 136:* wr", true, 'c', 136L, null, "rw")]
    [InlineData("a *:* rwm", true, 'a', null, null, "rwm")]
    [InlineData("  c   10:200   r ", true, 'c', 10L, 200L, "r")]
    public void Parses_podman_rules(string text, bool allow, char type, long? major, long? minor, string access) =>
        Assert.Equal(new DeviceRule(allow, type, major, minor, access), DeviceRule.Parse(text));

    [Theory]
    [InlineData("c", "requires type, major:Minor, and access")]
    [InlineData("c 1:3", "requires type, major:Minor, and access")]
    [InlineData("x 1:3 rwm", "invalid device type in device-access-add: x")]
    [InlineData("c 1:3 rwx", "invalid device access in device-access-add: x")]
    [InlineData("c 1:3 rr", "invalid device access in device-access-add: r")]
    [InlineData("c a:3 rwm", "invalid device number")]
    [InlineData("c 1-3 rwm", "requires type, major:Minor, and access")]
    [InlineData("c -1:3 rwm", "invalid device number")]
    public void Refuses_what_podman_refuses(string text, string message)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => DeviceRule.Parse(text));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(message, e.Message);
        Assert.NotNull(e.Hint);
    }

    [Fact]
    public void Writes_the_kernel_syntax()
    {
        Assert.Equal("c 1:3 rwm", new DeviceRule(true, 'c', 1, 3, "rwm").ToString());
        Assert.Equal("c 136:* rwm", new DeviceRule(true, 'c', 136, null, "rwm").ToString());
        Assert.Equal("a", DeviceRule.DenyAll.ToString());
        Assert.Equal("a", DeviceRule.AllowAll.ToString());
    }

    /// <summary>The defaults read from a podman --runtime runc container's devices.list on this machine.</summary>
    [Fact]
    public void Defaults_are_what_runc_allows()
    {
        Assert.Equal(
            ["c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm", "c 5:0 rwm", "c 5:2 rwm", "c 136:* rwm", "c 10:200 rwm"],
            DeviceRule.Defaults.Select(r => r.ToString()));
    }

    [Fact]
    public void V1_writes_deny_all_first_then_the_rules_then_the_defaults()
    {
        IReadOnlyList<(string File, string Line)> writes = CgroupV1Manager.DeviceWrites(
            [DeviceRule.DenyAll, new DeviceRule(true, 'c', 1, 1, "r"), new DeviceRule(false, 'c', 1, 5, "w")]);
        Assert.Equal(("devices.deny", "a"), writes[0]);
        Assert.Equal(("devices.allow", "c 1:1 r"), writes[1]);
        Assert.Equal(("devices.deny", "c 1:5 w"), writes[2]);
        Assert.Equal(DeviceRule.Defaults.Select(r => ("devices.allow", r.ToString())), writes.Skip(3));
    }

    [Fact]
    public void Spec_rules_without_type_or_access_mean_all()
    {
        DeviceRule rule = OciResources.DeviceRuleFromSpec(new DeviceCgroupSpec { Allow = false });
        Assert.True(rule.IsAll);
        Assert.Equal(DeviceRule.DenyAll, rule);
        Assert.Equal(new DeviceRule(true, 'b', 8, null, "rw"), OciResources.DeviceRuleFromSpec(new DeviceCgroupSpec { Allow = true, Type = "b", Major = 8, Access = "wr" }));
    }

    [Fact]
    public void Runtime_reads_rules_and_throttles_from_a_bundle()
    {
        RuntimeSpec spec = SpecJsonReader.Read("""
            {"ociVersion":"1.0.2","linux":{"resources":{
              "devices":[{"allow":false,"access":"rwm"},{"allow":true,"type":"c","major":1,"minor":3,"access":"r"}],
              "blockIO":{"throttleReadBpsDevice":[{"major":7,"minor":0,"rate":1048576}],"throttleWriteIOPSDevice":[{"major":7,"minor":0,"rate":100}],
                         "weightDevice":[{"major":8,"minor":0,"weight":200}]}}}}
            """u8)!;
        CgroupResources r = Skiff.Runtime.Containers.RuntimeCgroup.FromSpec(spec.Linux!.Resources);
        Assert.Equal([DeviceRule.DenyAll, new DeviceRule(true, 'c', 1, 3, "r")], r.Devices!);
        Assert.Equal(
            [new BlockIoLimit(BlockIoLimitKind.ReadBps, null, 7, 0, 1 << 20), new BlockIoLimit(BlockIoLimitKind.WriteIops, null, 7, 0, 100), new BlockIoLimit(BlockIoLimitKind.Weight, null, 8, 0, 200)],
            r.BlockIoLimits!);
        Assert.Contains(("blkio", "--device-read-bps"), r.RequiredControllers());
    }
}

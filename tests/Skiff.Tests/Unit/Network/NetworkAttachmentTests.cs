using Skiff.Core.Errors;
using Skiff.Rootless.Network;
using Skiff.Rootless.Network.Bridge;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Network;

/// <summary>--mac-address and podman's per-network options, <c>--network NAME:ip=…,mac=…,alias=…,interface_name=…</c>.</summary>
public sealed class NetworkAttachmentTests
{
    [Theory]
    [InlineData("92:d0:c6:0a:29:33", "92:d0:c6:0a:29:33")]
    [InlineData("92:D0:C6:0A:29:33", "92:d0:c6:0a:29:33")]
    [InlineData("92-d0-c6-0a-29-33", "92:d0:c6:0a:29:33")]
    public void Mac_addresses_are_read_in_either_separator_and_kept_canonical(string text, string canonical)
    {
        Assert.Equal(canonical, MacAddress.Parse(text));
        Assert.Equal(new byte[] { 0x92, 0xd0, 0xc6, 0x0a, 0x29, 0x33 }, MacAddress.Bytes(canonical));
    }

    [Theory]
    [InlineData("92:d0:c6:0a:29:zz", "address 92:d0:c6:0a:29:zz: invalid MAC address")]
    [InlineData("92:d0:c6:0a:29", "address 92:d0:c6:0a:29: invalid MAC address")]
    [InlineData("92:d0:c6:0a:29:3", "address 92:d0:c6:0a:29:3: invalid MAC address")]
    [InlineData("92:d0:c6:0a:29:33:44", "address 92:d0:c6:0a:29:33:44: invalid MAC address")]
    [InlineData("93:d0:c6:0a:29:33", "address 93:d0:c6:0a:29:33: a multicast MAC address cannot be an interface's address")]
    [InlineData("ff:ff:ff:ff:ff:ff", "address ff:ff:ff:ff:ff:ff: a multicast MAC address cannot be an interface's address")]
    [InlineData("00:00:00:00:00:00", "address 00:00:00:00:00:00: the all-zero MAC address cannot be an interface's address")]
    public void Bad_mac_addresses_are_refused_with_the_reason(string text, string message)
    {
        var e = Assert.Throws<SkiffException>(() => MacAddress.Parse(text));
        Assert.Equal((ErrorKind.InvalidArgument, message), (e.Kind, e.Message));
        Assert.NotNull(e.Hint);
    }

    [Fact]
    public void Made_up_mac_addresses_are_locally_administered_unicast_and_differ()
    {
        string[] made = [.. Enumerable.Range(0, 64).Select(_ => MacAddress.Random())];
        foreach (string mac in made)
        {
            byte first = MacAddress.Bytes(MacAddress.Parse(mac))[0];
            Assert.Equal((0, 2), (first & 1, first & 2));
        }

        Assert.True(made.Distinct().Count() > 60);
    }

    [Fact]
    public void A_network_value_carries_its_endpoints_options()
    {
        NetworkSelection selection = NetworkSelection.Parse(["front:ip=10.89.0.7,mac=92:D0:C6:0A:29:34,alias=web,alias=www,interface_name=net7", "back:ip=fd00::7"])!;
        Assert.Equal("front", selection.Mode);
        Assert.Equal(["front", "back"], selection.Networks);
        EndpointRequest front = selection.Attachments[0].Request;
        Assert.Equal(("10.89.0.7", null, "92:d0:c6:0a:29:34", "net7"), (front.Address, front.Address6, front.MacAddress, front.InterfaceName));
        Assert.Equal(["web", "www"], front.Aliases);
        EndpointRequest back = selection.Attachments[1].Request;
        Assert.Equal(("back", null, "fd00::7", null), (selection.Attachments[1].Network, back.Address, back.Address6, back.MacAddress));

        NetworkSelection plain = NetworkSelection.Parse(["a,b"])!;
        Assert.Equal(["a", "b"], plain.Attachments.Select(a => a.Network));
        Assert.All(plain.Attachments, a => Assert.Equal(new EndpointRequest(), a.Request with { Aliases = [] }));
    }

    [Theory]
    [InlineData("front:foo=bar", "invalid option for network front: unknown bridge network option: foo")]
    [InlineData("front:ip", "invalid option for network front: ip: expected KEY=VALUE")]
    [InlineData("front:mac=", "invalid option for network front: mac=: expected KEY=VALUE")]
    [InlineData("front:mac=01:00:5e:00:00:01", "address 01:00:5e:00:00:01: a multicast MAC address cannot be an interface's address")]
    [InlineData("front:interface_name=a/b", "invalid option for network front: interface_name a/b is not a valid interface name")]
    [InlineData("front:interface_name=abcdefghijklmnop", "invalid option for network front: interface_name abcdefghijklmnop is not a valid interface name")]
    public void Bad_network_options_are_refused(string value, string message)
    {
        var e = Assert.Throws<SkiffException>(() => NetworkSelection.Parse([value]));
        Assert.Equal((ErrorKind.InvalidArgument, message), (e.Kind, e.Message));
    }

    [Fact]
    public void Host_side_veths_stay_unique_and_short_for_given_interface_names()
    {
        string id = new('f', 64);
        Assert.Equal("vethffffffffff", BridgeCommands.VethName(id));
        Assert.Equal("vethffffffffn12", BridgeCommands.VethName(id, "eth12"));
        string[] names = ["net7", "eth1000", "lan", "wan", "eth", "ethx"];
        string[] veths = [.. names.Select(n => BridgeCommands.VethName(id, n))];
        Assert.All(veths, v => Assert.True(v.Length <= 15, v));
        Assert.Equal(veths.Length, veths.Distinct().Count());
        Assert.Equal(BridgeCommands.VethName(id, "net7"), BridgeCommands.VethName(id, "net7"));
        Assert.True(NetworkInterfaceNames.IsNumbered("eth3"));
        Assert.False(NetworkInterfaceNames.IsNumbered("eth"));
        Assert.False(NetworkInterfaceNames.IsNumbered("net3"));
    }
}

using System.Net;
using Skiff.Rootless.Network.Netlink;

namespace Skiff.Tests.Unit.Network;

/// <summary>
/// Each rtnetlink request byte for byte against what iproute2 6.1's ip(8) sends for the same command (captured
/// with <c>strace -e trace=sendmsg -e write=3 ip ...</c>; ip's sequence number kept), and the answers parsed.
/// </summary>
public sealed class RouteRequestsTests
{
    private const uint Seq = 0x6b0f1510;

    [Fact]
    public void Link_add_bridge_is_ips()
    {
        Assert.Equal(
            Hex("3c000000 10000506 11150f6b 00000000 00000000 00000000 00000000 00000000 0b000300 736b6966 66310000 10001200 0a000100 62726964 67650000"),
            RouteRequests.AddBridge("skiff1", Seq + 1));
    }

    [Fact]
    public void Veth_pair_with_its_peer_in_another_namespace_is_ips()
    {
        // ip link add veth01234567n1 type veth peer name eth1 netns NSFD (the namespace open as fd 4)
        Assert.Equal(
            Hex("6c000000 10000506 6d170f6b 00000000 00000000 00000000 00000000 00000000 13000300 76657468 30313233 34353637 6e310000"
                + " 38001200 08000100 76657468 2c000200 28000100 00000000 00000000 00000000 00000000 08001c00 04000000 09000300 65746831 00000000"),
            RouteRequests.AddVethPair("veth01234567n1", "eth1", 4, mtu: null, 0x6b0f176d));

        // ip link add veth01234567n1 type veth peer netns NSFD address 92:d0:c6:0a:29:33 name eth1 (--mac-address; ip
        // adds the name last)
        Assert.Equal(
            Hex("78000000 10000506 6d170f6b 00000000 00000000 00000000 00000000 00000000 13000300 76657468 30313233 34353637 6e310000"
                + " 44001200 08000100 76657468 38000200 34000100 00000000 00000000 00000000 00000000 08001c00 04000000 0a000100 92d0c60a"
                + " 29330000 09000300 65746831 00000000"),
            RouteRequests.AddVethPair("veth01234567n1", "eth1", 4, mtu: null, 0x6b0f176d, [0x92, 0xd0, 0xc6, 0x0a, 0x29, 0x33]));

        // ip link add veth0123456789 mtu 65520 type veth peer name eth0 mtu 65520 netns NSFD (rootless: pasta's MTU)
        Assert.Equal(
            Hex("7c000000 10000506 11150f6b 00000000 00000000 00000000 00000000 00000000 08000400 f0ff0000 13000300 76657468 30313233"
                + " 34353637 38390000 40001200 08000100 76657468 34000200 30000100 00000000 00000000 00000000 00000000 08000400 f0ff0000"
                + " 08001c00 04000000 09000300 65746830 00000000"),
            RouteRequests.AddVethPair("veth0123456789", "eth0", 4, mtu: 65520, Seq + 1));
    }

    [Fact]
    public void Link_set_up_with_and_without_master_is_ips()
    {
        // ip link set lo up
        Assert.Equal(Hex("20000000 10000500 10150f6b 00000000 00000000 01000000 01000000 01000000"), RouteRequests.SetUp(1, null, Seq));

        // ip link set veth01234567n1 master skiff1 up (veth index 3, bridge index 2)
        Assert.Equal(
            Hex("28000000 10000500 6d170f6b 00000000 00000000 03000000 01000000 01000000 08000a00 02000000"),
            RouteRequests.SetUp(3, 2, 0x6b0f176d));
    }

    [Fact]
    public void Address_add_is_ips()
    {
        // ip addr add 10.89.0.2/24 dev eth0 (index 2)
        Assert.Equal(
            Hex("28000000 14000506 10150f6b 00000000 02180000 02000000 08000200 0a590002 08000100 0a590002"),
            RouteRequests.AddAddress(2, IPAddress.Parse("10.89.0.2"), 24, Seq));
    }

    [Fact]
    public void Default_route_add_and_replace_are_ips()
    {
        var route = new RouteEntry(null, 0, IPAddress.Parse("10.89.0.1"), 2);
        // ip route add default via 10.89.0.1 dev eth0
        Assert.Equal(
            Hex("2c000000 18000506 10150f6b 00000000 02000000 fe030001 00000000 08000500 0a590001 08000400 02000000"),
            RouteRequests.AddRoute(route, replace: false, Seq));

        // ip route replace default via 10.89.0.1 dev eth0: NLM_F_REPLACE instead of NLM_F_EXCL
        Assert.Equal(
            Hex("2c000000 18000505 10150f6b 00000000 02000000 fe030001 00000000 08000500 0a590001 08000400 02000000"),
            RouteRequests.AddRoute(route, replace: true, Seq));
    }

    [Fact]
    public void Pasta_tap_requests_are_ips()
    {
        const uint sequence = 0x6b0f423f;
        // ip link set dev t0 mtu 65520 up (index 3)
        Assert.Equal(
            Hex("28000000 10000500 3f420f6b 00000000 00000000 03000000 01000000 01000000 08000400 f0ff0000"),
            RouteRequests.SetUpWithMtu(3, 65520, sequence));

        // ip -6 addr add fd00::2/64 dev t0 nodad: IFA_F_NODAD in ifa_flags, no IFA_FLAGS attribute
        Assert.Equal(
            Hex("40000000 14000506 3f420f6b 00000000 0a400200 03000000 14000200 fd000000 00000000 00000000 00000002"
                + " 14000100 fd000000 00000000 00000000 00000002"),
            RouteRequests.AddAddressWithoutDad(3, IPAddress.Parse("fd00::2"), 64, sequence));

        // ip -6 route add default via fd00::1 dev t0 metric 1024: the IPv6 default route carries RTA_DST ::
        Assert.Equal(
            Hex("54000000 18000506 3f420f6b 00000000 0a000000 fe030001 00000000 14000100 00000000 00000000 00000000 00000000"
                + " 14000500 fd000000 00000000 00000000 00000001 08000600 00040000 08000400 03000000"),
            RouteRequests.AddRoute(new RouteEntry(null, 0, IPAddress.Parse("fd00::1"), 3, Metric: 1024), replace: false, sequence));
    }

    [Fact]
    public void Local_route_in_a_table_above_255_is_ips()
    {
        // ip route replace local 0.0.0.0/0 dev lo table 29547: rtm_table unspecified, the table in RTA_TABLE
        Assert.Equal(
            Hex("34000000 18000505 11150f6b 00000000 02000000 0003fe02 00000000 08000100 00000000 08000f00 6b730000 08000400 01000000"),
            RouteRequests.AddRoute(new RouteEntry(IPAddress.Any, 0, null, 1, 29547, RouteKind.Local), replace: true, Seq + 1));
    }

    [Fact]
    public void Fwmark_rule_is_ips()
    {
        // ip rule add fwmark 0x736b lookup 29547
        Assert.Equal(
            Hex("2c000000 20000506 10150f6b 00000000 02000000 00000001 00000000 08000a00 6b730000 08000f00 6b730000"),
            RouteRequests.AddRule(0x736b, 29547, Seq));
    }

    [Fact]
    public void Udp_flow_rules_are_ips()
    {
        var rule = new PortRule(PortRule.Udp, 53, IPAddress.Parse("192.0.2.77"), 40000, 29548);
        // ip rule add ipproto udp sport 53 to 192.0.2.77/32 dport 40000 lookup 29548
        Assert.Equal(
            Hex("44000000 20000506 635f0f6b 00000000 02200000 00000001 00000000 05001600 11000000 08001700 35003500 08000100 c000024d 08001800 409c409c 08000f00 6c730000"),
            RouteRequests.AddRule(rule, 0x6b0f5f63));

        // ip rule del (the same selector): RTM_DELRULE, no NLM_F_CREATE|EXCL and no action
        Assert.Equal(
            Hex("44000000 21000500 635f0f6b 00000000 02200000 00000000 00000000 05001600 11000000 08001700 35003500 08000100 c000024d 08001800 409c409c 08000f00 6c730000"),
            RouteRequests.DeleteRule(rule, 0x6b0f5f63));
    }

    [Fact]
    public void Local_route_with_a_preferred_source_is_ips()
    {
        // ip route replace local 0.0.0.0/0 dev lo table 29548 src 10.99.0.2
        Assert.Equal(
            Hex("3c000000 18000505 635f0f6b 00000000 02000000 0003fe02 00000000 08000100 00000000 08000f00 6c730000 08000700 0a630002 08000400 01000000"),
            RouteRequests.AddRoute(new RouteEntry(IPAddress.Any, 0, null, 1, 29548, RouteKind.Local, PreferredSource: IPAddress.Parse("10.99.0.2")), replace: true, 0x6b0f5f63));
    }

    [Fact]
    public void Requests_ip_sends_differently_follow_rtnetlink()
    {
        // Delete by name: ifi_index 0 and IFLA_IFNAME (ip resolves the index first, a round trip skiff saves).
        Assert.Equal(
            Hex("2c000000 11000500 01000000 00000000 00000000 00000000 00000000 00000000 0b000300 736b6966 66310000"),
            RouteRequests.DeleteLink("skiff1", 1));

        // A link by name: a request without NLM_F_ACK, answered by one RTM_NEWLINK.
        Assert.Equal(
            Hex("2c000000 12000100 02000000 00000000 00000000 00000000 00000000 00000000 09000300 65746830 00000000"),
            RouteRequests.GetLink("eth0", 2));

        // Dumps: NLM_F_REQUEST | NLM_F_DUMP, an AF_INET family header and nothing else.
        Assert.Equal(Hex("18000000 16000103 03000000 00000000 02000000 00000000"), RouteRequests.DumpAddresses(3));
        Assert.Equal(Hex("1c000000 1a000103 04000000 00000000 02000000 00000000 00000000"), RouteRequests.DumpRoutes(4));
    }

    [Fact]
    public void Answers_split_into_messages_with_errno_and_attributes()
    {
        // An acknowledgement (error 0) and a refusal (-EEXIST) in one datagram, each followed by the request's header.
        byte[] datagram = Hex("24000000 02000001 05000000 00000000 00000000 20000000 10000500 05000000 00000000"
            + " 24000000 02000000 06000000 00000000 efffffff 20000000 10000500 06000000 00000000");
        IReadOnlyList<NetlinkMessage> messages = NetlinkMessage.Split(datagram);
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Equal(NetlinkMessage.Error, m.Type));
        Assert.Equal((5u, 0), (messages[0].Sequence, messages[0].ErrorNumber));
        Assert.Equal((6u, 17), (messages[1].Sequence, messages[1].ErrorNumber));

        // An RTM_NEWADDR as the kernel dumps it: ifaddrmsg, then IFA_ADDRESS, IFA_LOCAL and a string attribute.
        byte[] address = Hex("34000000 14000200 07000000 00000000 02180000 05000000 08000100 0a590001 08000200 0a590001 0b000300 736b6966 66310000");
        NetlinkMessage parsed = Assert.Single(NetlinkMessage.Split(address.Concat(Hex("01000000")).ToArray()));
        NetlinkAttributes attributes = parsed.Attributes(RouteRequests.IfAddrLength);
        Assert.Equal(Hex("0a590001"), attributes.Find(RouteRequests.IFA_LOCAL)!.Value.ToArray());
        Assert.Equal(0x0100590au, attributes.FindU32(RouteRequests.IFA_ADDRESS));
        Assert.Null(attributes.Find(8));

        // A length that runs past the datagram ends the split.
        Assert.Empty(NetlinkMessage.Split(Hex("40000000 14000200 07000000 00000000 02180000")));
    }

    [Fact]
    public void Nested_attributes_are_padded_and_their_lengths_cover_the_padding()
    {
        var writer = new NetlinkMessageWriter(1, 0, 0);
        int outer = writer.BeginNest(7);
        writer.Attribute(1, "abcde", terminated: false);
        writer.EndNest(outer).Attribute(2, [0xff]);
        Assert.Equal(Hex("28000000 01000000 00000000 00000000 10000700 09000100 61626364 65000000 05000200 ff000000"), writer.ToArray());
    }

    private static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", string.Empty, StringComparison.Ordinal));
}

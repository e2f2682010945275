using System.Net;

namespace Skiff.Rootless.Network.Netlink;

/// <summary>
/// The rtnetlink requests skiff sends (man 7 rtnetlink), as bytes: laid out as iproute2's ip(8) lays out the
/// same request, so a capture of ip shows what each one is. Pure, so each is unit-tested byte for byte.
/// </summary>
public static class RouteRequests
{
    public const ushort RTM_NEWLINK = 16;
    public const ushort RTM_DELLINK = 17;
    public const ushort RTM_GETLINK = 18;
    public const ushort RTM_NEWADDR = 20;
    public const ushort RTM_GETADDR = 22;
    public const ushort RTM_NEWROUTE = 24;
    public const ushort RTM_GETROUTE = 26;
    public const ushort RTM_NEWRULE = 32;
    public const ushort RTM_DELRULE = 33;

    public const ushort NLM_F_REQUEST = 0x1;
    public const ushort NLM_F_ACK = 0x4;
    public const ushort NLM_F_DUMP = 0x300;
    public const ushort NLM_F_REPLACE = 0x100;
    public const ushort NLM_F_EXCL = 0x200;
    public const ushort NLM_F_CREATE = 0x400;

    public const ushort IFLA_ADDRESS = 1;
    public const ushort IFLA_MTU = 4;
    public const ushort IFLA_IFNAME = 3;
    public const ushort IFLA_MASTER = 10;
    public const ushort IFLA_LINKINFO = 18;
    public const ushort IFLA_NET_NS_FD = 28;
    public const ushort IFLA_INFO_KIND = 1;
    public const ushort IFLA_INFO_DATA = 2;
    public const ushort VETH_INFO_PEER = 1;

    public const ushort IFA_ADDRESS = 1;
    public const ushort IFA_LOCAL = 2;
    public const ushort IFA_FLAGS = 8;
    public const byte IFA_F_NODAD = 0x02;

    public const ushort RTA_DST = 1;
    public const ushort RTA_OIF = 4;
    public const ushort RTA_GATEWAY = 5;
    public const ushort RTA_PRIORITY = 6;
    public const ushort RTA_MULTIPATH = 9;
    public const ushort RTA_PREFSRC = 7;
    public const ushort RTA_TABLE = 15;

    public const ushort FRA_DST = 1;
    public const ushort FRA_FWMARK = 10;
    public const ushort FRA_TABLE = 15;
    public const ushort FRA_IP_PROTO = 22;
    public const ushort FRA_SPORT_RANGE = 23;
    public const ushort FRA_DPORT_RANGE = 24;

    public const byte AF_UNSPEC = 0;
    public const byte AF_INET = 2;
    public const byte AF_INET6 = 10;
    public const uint IFF_UP = 0x1;
    public const byte RT_TABLE_UNSPEC = 0;
    public const byte RT_TABLE_MAIN = 254;
    public const byte RTPROT_BOOT = 3;
    public const byte RT_SCOPE_UNIVERSE = 0;
    public const byte RT_SCOPE_HOST = 254;
    public const byte RTN_UNICAST = 1;
    public const byte RTN_LOCAL = 2;
    public const byte FR_ACT_TO_TBL = 1;

    /// <summary>Sizes of struct ifinfomsg, ifaddrmsg, rtmsg and fib_rule_hdr.</summary>
    public const int IfInfoLength = 16;
    public const int IfAddrLength = 8;
    public const int RtLength = 12;
    public const int RuleLength = 12;

    private const ushort Create = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
    private const ushort Change = NLM_F_REQUEST | NLM_F_ACK;

    /// <summary><c>ip link add NAME type bridge</c>.</summary>
    public static byte[] AddBridge(string name, uint sequence)
    {
        NetlinkMessageWriter message = IfInfo(new NetlinkMessageWriter(RTM_NEWLINK, Create, sequence), 0, 0, 0)
            .Attribute(IFLA_IFNAME, name, terminated: true);
        int info = message.BeginNest(IFLA_LINKINFO);
        message.Attribute(IFLA_INFO_KIND, "bridge", terminated: false);
        return message.EndNest(info).ToArray();
    }

    /// <summary>
    /// <c>ip link add NAME [mtu M] type veth peer name PEER [mtu M] [address MAC] netns NSFD</c>: the pair is made
    /// with its peer end already in the namespace of the descriptor <paramref name="peerNamespaceFd"/>, with
    /// <paramref name="peerAddress"/> as its Ethernet address when given (else the kernel makes one up).
    /// </summary>
    public static byte[] AddVethPair(string name, string peer, int peerNamespaceFd, int? mtu, uint sequence, byte[]? peerAddress = null)
    {
        var message = IfInfo(new NetlinkMessageWriter(RTM_NEWLINK, Create, sequence), 0, 0, 0);
        Mtu(message, mtu).Attribute(IFLA_IFNAME, name, terminated: true);
        int info = message.BeginNest(IFLA_LINKINFO);
        message.Attribute(IFLA_INFO_KIND, "veth", terminated: false);
        int data = message.BeginNest(IFLA_INFO_DATA);
        int peerInfo = message.BeginNest(VETH_INFO_PEER);
        IfInfo(message, 0, 0, 0);
        Mtu(message, mtu).Attribute(IFLA_NET_NS_FD, (uint)peerNamespaceFd);
        if (peerAddress is not null)
        {
            message.Attribute(IFLA_ADDRESS, peerAddress);
        }

        message.Attribute(IFLA_IFNAME, peer, terminated: true);
        return message.EndNest(peerInfo).EndNest(data).EndNest(info).ToArray();
    }

    /// <summary><c>ip link set dev INDEX [master MASTER] up</c>.</summary>
    public static byte[] SetUp(int index, int? master, uint sequence)
    {
        NetlinkMessageWriter message = IfInfo(new NetlinkMessageWriter(RTM_NEWLINK, Change, sequence), index, IFF_UP, IFF_UP);
        if (master is int m)
        {
            message.Attribute(IFLA_MASTER, (uint)m);
        }

        return message.ToArray();
    }

    /// <summary><c>ip link set dev INDEX mtu MTU up</c>.</summary>
    public static byte[] SetUpWithMtu(int index, int mtu, uint sequence) =>
        Mtu(IfInfo(new NetlinkMessageWriter(RTM_NEWLINK, Change, sequence), index, IFF_UP, IFF_UP), mtu).ToArray();

    /// <summary>The link with index <paramref name="index"/>; the answer is one RTM_NEWLINK (or ENODEV).</summary>
    public static byte[] GetLink(int index, uint sequence) =>
        IfInfo(new NetlinkMessageWriter(RTM_GETLINK, NLM_F_REQUEST, sequence), index, 0, 0).ToArray();

    /// <summary><c>ip link del NAME</c>, by name (ip looks the index up first; the kernel takes IFLA_IFNAME with index 0).</summary>
    public static byte[] DeleteLink(string name, uint sequence) =>
        IfInfo(new NetlinkMessageWriter(RTM_DELLINK, Change, sequence), 0, 0, 0).Attribute(IFLA_IFNAME, name, terminated: true).ToArray();

    /// <summary>The link named <paramref name="name"/>; the answer is one RTM_NEWLINK (or an error, ENODEV when there is none).</summary>
    public static byte[] GetLink(string name, uint sequence) =>
        IfInfo(new NetlinkMessageWriter(RTM_GETLINK, NLM_F_REQUEST, sequence), 0, 0, 0).Attribute(IFLA_IFNAME, name, terminated: true).ToArray();

    /// <summary><c>ip addr add ADDRESS/PREFIX dev INDEX</c>.</summary>
    public static byte[] AddAddress(int index, IPAddress address, int prefixLength, uint sequence) =>
        new NetlinkMessageWriter(RTM_NEWADDR, Create, sequence)
            .U8(AF_INET).U8((byte)prefixLength).U8(0).U8(RT_SCOPE_UNIVERSE).U32((uint)index)
            .Attribute(IFA_LOCAL, address)
            .Attribute(IFA_ADDRESS, address)
            .ToArray();

    /// <summary>
    /// <c>ip -6 addr add ADDRESS/PREFIX dev INDEX nodad</c>: usable at once, without duplicate address detection's
    /// second of "tentative" (the host's address, copied to a link only pasta is on).
    /// </summary>
    public static byte[] AddAddressWithoutDad(int index, IPAddress address, int prefixLength, uint sequence) =>
        new NetlinkMessageWriter(RTM_NEWADDR, Create, sequence)
            .U8(AF_INET6).U8((byte)prefixLength).U8(IFA_F_NODAD).U8(RT_SCOPE_UNIVERSE).U32((uint)index)
            .Attribute(IFA_LOCAL, address)
            .Attribute(IFA_ADDRESS, address)
            .ToArray();

    /// <summary>Every IPv4 address (<c>ip -4 addr show</c>): RTM_NEWADDR messages up to NLMSG_DONE.</summary>
    public static byte[] DumpAddresses(uint sequence) => DumpAddresses(AF_INET, sequence);

    /// <summary>Every address of <paramref name="family"/> (<c>ip -4|-6 addr show</c>).</summary>
    public static byte[] DumpAddresses(byte family, uint sequence) =>
        new NetlinkMessageWriter(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, sequence).U8(family).U8(0).U8(0).U8(0).U32(0).ToArray();

    /// <summary>Every link (<c>ip link show</c>): RTM_NEWLINK messages up to NLMSG_DONE.</summary>
    public static byte[] DumpLinks(uint sequence) =>
        IfInfo(new NetlinkMessageWriter(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, sequence), 0, 0, 0).ToArray();

    /// <summary>
    /// <c>ip route add|replace</c> of <paramref name="route"/>: a table above 255 goes in RTA_TABLE with
    /// rtm_table unspecified, as ip does; a default route has no RTA_DST.
    /// </summary>
    public static byte[] AddRoute(RouteEntry route, bool replace, uint sequence)
    {
        ushort flags = replace ? (ushort)(NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE) : Create;
        bool local = route.Kind == RouteKind.Local;
        NetlinkMessageWriter message = new NetlinkMessageWriter(RTM_NEWROUTE, flags, sequence)
            .U8(FamilyOf(route)).U8((byte)route.PrefixLength).U8(0).U8(0)
            .U8(route.Table < 256 ? (byte)route.Table : RT_TABLE_UNSPEC)
            .U8(RTPROT_BOOT)
            .U8(local ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE)
            .U8(local ? RTN_LOCAL : RTN_UNICAST)
            .U32(0);
        if (route.Destination is { } destination)
        {
            message.Attribute(RTA_DST, destination);
        }
        else if (FamilyOf(route) == AF_INET6)
        {
            // ip sends the IPv6 default route's destination (::/0); the IPv4 one it leaves out.
            message.Attribute(RTA_DST, IPAddress.IPv6Any);
        }

        if (route.Gateway is { } gateway)
        {
            message.Attribute(RTA_GATEWAY, gateway);
        }

        if (route.Table >= 256)
        {
            message.Attribute(RTA_TABLE, (uint)route.Table);
        }

        if (route.Metric is uint metric)
        {
            message.Attribute(RTA_PRIORITY, metric);
        }

        if (route.PreferredSource is { } source)
        {
            message.Attribute(RTA_PREFSRC, source);
        }

        return message.Attribute(RTA_OIF, (uint)route.Device).ToArray();
    }

    /// <summary>Every IPv4 route (<c>ip -4 route show table all</c>): RTM_NEWROUTE messages up to NLMSG_DONE.</summary>
    public static byte[] DumpRoutes(uint sequence) => DumpRoutes(AF_INET, sequence);

    /// <summary>Every route of <paramref name="family"/> in every table (<c>ip -4|-6 route show table all</c>).</summary>
    public static byte[] DumpRoutes(byte family, uint sequence) =>
        new NetlinkMessageWriter(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, sequence).U8(family).U8(0).U8(0).U8(0).U32(0).U32(0).ToArray();

    /// <summary><c>ip rule add fwmark MARK lookup TABLE</c>.</summary>
    public static byte[] AddRule(uint mark, int table, uint sequence) =>
        new NetlinkMessageWriter(RTM_NEWRULE, Create, sequence)
            .U8(AF_INET).U8(0).U8(0).U8(0)
            .U8(table < 256 ? (byte)table : RT_TABLE_UNSPEC).U8(0).U8(0).U8(FR_ACT_TO_TBL)
            .U32(0)
            .Attribute(FRA_FWMARK, mark)
            .Attribute(FRA_TABLE, (uint)table)
            .ToArray();

    /// <summary><c>ip rule add ipproto P sport S to D/32 dport DP lookup TABLE</c>.</summary>
    public static byte[] AddRule(PortRule rule, uint sequence) => PortRuleMessage(RTM_NEWRULE, Create, FR_ACT_TO_TBL, rule, sequence);

    /// <summary><c>ip rule del ipproto P sport S to D/32 dport DP lookup TABLE</c> (ip sends no action when deleting).</summary>
    public static byte[] DeleteRule(PortRule rule, uint sequence) => PortRuleMessage(RTM_DELRULE, Change, 0, rule, sequence);

    private static byte[] PortRuleMessage(ushort type, ushort flags, byte action, PortRule rule, uint sequence)
    {
        Span<byte> sport = stackalloc byte[4];
        Span<byte> dport = stackalloc byte[4];
        PortRange(sport, rule.SourcePort);
        PortRange(dport, rule.DestinationPort);
        return new NetlinkMessageWriter(type, flags, sequence)
            .U8(AF_INET).U8(32).U8(0).U8(0)
            .U8(rule.Table < 256 ? (byte)rule.Table : RT_TABLE_UNSPEC).U8(0).U8(0).U8(action)
            .U32(0)
            .Attribute(FRA_IP_PROTO, [rule.Protocol])
            .Attribute(FRA_SPORT_RANGE, sport)
            .Attribute(FRA_DST, rule.Destination)
            .Attribute(FRA_DPORT_RANGE, dport)
            .Attribute(FRA_TABLE, (uint)rule.Table)
            .ToArray();
    }

    /// <summary>struct fib_rule_port_range for one port: start and end, in the machine's byte order.</summary>
    private static void PortRange(Span<byte> range, int port)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(range, (ushort)port);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(range[2..], (ushort)port);
    }

    /// <summary>AF_INET6 for a route whose gateway or destination is an IPv6 address, else AF_INET.</summary>
    private static byte FamilyOf(RouteEntry route) =>
        (route.Gateway ?? route.Destination)?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? AF_INET6 : AF_INET;

    private static NetlinkMessageWriter IfInfo(NetlinkMessageWriter message, int index, uint flags, uint change) =>
        message.U8(AF_UNSPEC).U8(0).U16(0).U32((uint)index).U32(flags).U32(change);

    private static NetlinkMessageWriter Mtu(NetlinkMessageWriter message, int? mtu) =>
        mtu is int m ? message.Attribute(IFLA_MTU, (uint)m) : message;
}

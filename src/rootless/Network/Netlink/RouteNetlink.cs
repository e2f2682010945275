using System.Buffers.Binary;
using System.Net;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Namespaces;

namespace Skiff.Rootless.Network.Netlink;

/// <summary>
/// Links, addresses, routes and rules of one network namespace over rtnetlink: what skiff did with ip(8),
/// without a process per command. Each call is one request and its answer; a refusal becomes a
/// <see cref="SystemCallException"/> naming the operation and carrying the kernel's errno. The caller needs
/// CAP_NET_ADMIN in the user namespace owning the namespace (rootless: skiff's own user namespace).
/// </summary>
public sealed class RouteNetlink : IDisposable
{
    /// <summary>Large enough for a dump datagram: the kernel fills at most 32 KiB (or a page) per datagram.</summary>
    private const int ReceiveBufferLength = 64 * 1024;

    private readonly NetlinkSocket _socket;
    private readonly byte[] _buffer = new byte[ReceiveBufferLength];
    private uint _sequence;

    private RouteNetlink(NetlinkSocket socket) => _socket = socket;

    /// <summary>The calling thread's network namespace.</summary>
    public static RouteNetlink Open() => new(NetlinkSocket.Open());

    /// <summary>The namespace at <paramref name="netnsPath"/> (a /proc/PID/ns/net entry or a bound file): the socket is opened by a thread in it.</summary>
    public static RouteNetlink OpenIn(string netnsPath) => ThreadNetworkNamespace.RunIn(netnsPath, Open);

    /// <summary>The index of the link named <paramref name="name"/>, or null when there is none.</summary>
    public int? TryLinkIndex(string name)
    {
        uint sequence = Next();
        _socket.Send(RouteRequests.GetLink(name, sequence));
        foreach (NetlinkMessage message in Answer(sequence, $"find link {name}", dump: false, missingIsError: false))
        {
            if (message.Type == RouteRequests.RTM_NEWLINK && message.Payload.Length >= RouteRequests.IfInfoLength)
            {
                return BinaryPrimitives.ReadInt32LittleEndian(message.Payload.Span[4..]);
            }
        }

        return null;
    }

    public int LinkIndex(string name) =>
        TryLinkIndex(name) ?? throw new SystemCallException("netlink: find link", name, Errnos.ENODEV);

    public void AddBridge(string name) => Request(RouteRequests.AddBridge(name, Next()), "add bridge", name);

    /// <summary>
    /// A veth pair <paramref name="name"/>–<paramref name="peer"/> whose peer end is made in the namespace at
    /// <paramref name="peerNetnsPath"/>, with the Ethernet address <paramref name="peerAddress"/> when given.
    /// </summary>
    public void AddVethPair(string name, string peer, string peerNetnsPath, int? mtu, byte[]? peerAddress = null)
    {
        using SafeFileHandle netns = Descriptors.Open(peerNetnsPath, 0);
        bool added = false;
        try
        {
            // The descriptor's number travels in the message (IFLA_NET_NS_FD); the handle stays open until the answer.
            netns.DangerousAddRef(ref added);
            Request(RouteRequests.AddVethPair(name, peer, (int)netns.DangerousGetHandle(), mtu, Next(), peerAddress), "add veth pair", name);
        }
        finally
        {
            if (added)
            {
                netns.DangerousRelease();
            }
        }
    }

    /// <summary>Sets the link up, first enslaving it to the bridge <paramref name="master"/> when given.</summary>
    public void SetUp(int index, int? master = null) => Request(RouteRequests.SetUp(index, master, Next()), "set link up", Name(index));

    /// <summary>Removes the link; false when there was none.</summary>
    public bool TryDeleteLink(string name) => Request(RouteRequests.DeleteLink(name, Next()), "delete link", name, missingIsError: false);

    public void AddAddress(int index, IPAddress address, int prefixLength) =>
        Request(RouteRequests.AddAddress(index, address, prefixLength, Next()), $"add address {address}/{prefixLength}", Name(index));

    /// <summary>The IPv4 addresses of the link <paramref name="index"/>.</summary>
    public IReadOnlyList<InterfaceAddress> GetAddresses(int index)
    {
        var addresses = new List<InterfaceAddress>();
        foreach (NetlinkMessage message in Dump(RouteRequests.DumpAddresses, "list addresses", RouteRequests.RTM_NEWADDR, RouteRequests.IfAddrLength))
        {
            ReadOnlySpan<byte> header = message.Payload.Span;
            int owner = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
            NetlinkAttributes attributes = message.Attributes(RouteRequests.IfAddrLength);
            if (header[0] == RouteRequests.AF_INET && owner == index
                && (attributes.Find(RouteRequests.IFA_LOCAL) ?? attributes.Find(RouteRequests.IFA_ADDRESS)) is { Length: 4 } local)
            {
                addresses.Add(new InterfaceAddress(owner, new IPAddress(local.Span), header[1]));
            }
        }

        return addresses;
    }

    public void AddRoute(RouteEntry route) => Request(RouteRequests.AddRoute(route, replace: false, Next()), "add route", Name(route.Device));

    public void ReplaceRoute(RouteEntry route) => Request(RouteRequests.AddRoute(route, replace: true, Next()), "replace route", Name(route.Device));

    /// <summary>Whether the main table has an IPv4 default route.</summary>
    public bool HasDefaultRoute()
    {
        bool found = false;
        foreach (NetlinkMessage message in Dump(RouteRequests.DumpRoutes, "list routes", RouteRequests.RTM_NEWROUTE, RouteRequests.RtLength))
        {
            ReadOnlySpan<byte> header = message.Payload.Span;
            uint table = message.Attributes(RouteRequests.RtLength).FindU32(RouteRequests.RTA_TABLE) ?? header[4];
            found |= header[0] == RouteRequests.AF_INET && header[1] == 0 && table == RouteRequests.RT_TABLE_MAIN && header[7] == RouteRequests.RTN_UNICAST;
        }

        return found;
    }

    /// <summary><c>ip link set dev INDEX mtu MTU up</c>.</summary>
    public void SetUpWithMtu(int index, int mtu) => Request(RouteRequests.SetUpWithMtu(index, mtu, Next()), "set link mtu and up", Name(index));

    /// <summary>An IPv6 address usable at once (no duplicate address detection).</summary>
    public void AddAddressWithoutDad(int index, IPAddress address, int prefixLength) =>
        Request(RouteRequests.AddAddressWithoutDad(index, address, prefixLength, Next()), $"add address {address}/{prefixLength}", Name(index));

    /// <summary>The name of the link <paramref name="index"/>, or null when there is none.</summary>
    public string? TryLinkName(int index)
    {
        uint sequence = Next();
        _socket.Send(RouteRequests.GetLink(index, sequence));
        foreach (NetlinkMessage message in Answer(sequence, "find link " + index.ToString(System.Globalization.CultureInfo.InvariantCulture), dump: false, missingIsError: false))
        {
            if (message.Type == RouteRequests.RTM_NEWLINK && message.Payload.Length >= RouteRequests.IfInfoLength
                && message.Attributes(RouteRequests.IfInfoLength).Find(RouteRequests.IFLA_IFNAME) is { Length: > 0 } name)
            {
                return System.Text.Encoding.UTF8.GetString(name.Span.TrimEnd((byte)0));
            }
        }

        return null;
    }

    /// <summary>Every link of the namespace with its flags.</summary>
    public IReadOnlyList<LinkState> Links()
    {
        var links = new List<LinkState>();
        foreach (NetlinkMessage message in Dump(RouteRequests.DumpLinks, "list links", RouteRequests.RTM_NEWLINK, RouteRequests.IfInfoLength))
        {
            ReadOnlySpan<byte> header = message.Payload.Span;
            links.Add(new LinkState(BinaryPrimitives.ReadInt32LittleEndian(header[4..]), BinaryPrimitives.ReadUInt32LittleEndian(header[8..])));
        }

        return links;
    }

    /// <summary>Every address of <paramref name="family"/> (AF_INET or AF_INET6).</summary>
    public IReadOnlyList<AddressState> Addresses(byte family)
    {
        var addresses = new List<AddressState>();
        foreach (NetlinkMessage message in Dump(sequence => RouteRequests.DumpAddresses(family, sequence), "list addresses", RouteRequests.RTM_NEWADDR, RouteRequests.IfAddrLength))
        {
            ReadOnlySpan<byte> header = message.Payload.Span;
            NetlinkAttributes attributes = message.Attributes(RouteRequests.IfAddrLength);
            if (header[0] == family && (attributes.Find(RouteRequests.IFA_LOCAL) ?? attributes.Find(RouteRequests.IFA_ADDRESS)) is { } local && local.Length == AddressLength(family))
            {
                // IFA_FLAGS carries all 32 bits; the header's byte only the low eight.
                uint flags = attributes.FindU32(RouteRequests.IFA_FLAGS) ?? header[2];
                addresses.Add(new AddressState(family, BinaryPrimitives.ReadInt32LittleEndian(header[4..]), new IPAddress(local.Span), header[1], header[3], flags));
            }
        }

        return addresses;
    }

    /// <summary>Every route of <paramref name="family"/> (AF_INET or AF_INET6) in every table.</summary>
    public IReadOnlyList<RouteState> Routes(byte family)
    {
        var routes = new List<RouteState>();
        foreach (NetlinkMessage message in Dump(sequence => RouteRequests.DumpRoutes(family, sequence), "list routes", RouteRequests.RTM_NEWROUTE, RouteRequests.RtLength))
        {
            ReadOnlySpan<byte> header = message.Payload.Span;
            if (header[0] != family)
            {
                continue;
            }

            NetlinkAttributes attributes = message.Attributes(RouteRequests.RtLength);
            int length = AddressLength(family);
            IPAddress? destination = attributes.Find(RouteRequests.RTA_DST) is { } dst && dst.Length == length ? new IPAddress(dst.Span) : null;
            IPAddress? gateway = attributes.Find(RouteRequests.RTA_GATEWAY) is { } gw && gw.Length == length ? new IPAddress(gw.Span) : null;
            routes.Add(new RouteState(
                family,
                (int)(attributes.FindU32(RouteRequests.RTA_TABLE) ?? header[4]),
                header[7],
                destination,
                header[1],
                gateway,
                (int)(attributes.FindU32(RouteRequests.RTA_OIF) ?? 0),
                attributes.Find(RouteRequests.RTA_MULTIPATH) is not null,
                attributes.FindU32(RouteRequests.RTA_PRIORITY)));
        }

        return routes;
    }

    /// <summary>Sends packets carrying <paramref name="mark"/> to <paramref name="table"/>; an identical rule already there is fine.</summary>
    public void AddRule(uint mark, int table)
    {
        try
        {
            Request(RouteRequests.AddRule(mark, table, Next()), $"add rule fwmark 0x{mark:x}", null);
        }
        catch (SystemCallException e) when (e.Errno == Errnos.EEXIST)
        {
        }
    }

    /// <summary>Adds <paramref name="rule"/>; an identical rule already there is fine.</summary>
    public void AddRule(PortRule rule)
    {
        try
        {
            Request(RouteRequests.AddRule(rule, Next()), "add rule", rule.ToString());
        }
        catch (SystemCallException e) when (e.Errno == Errnos.EEXIST)
        {
        }
    }

    /// <summary>Deletes <paramref name="rule"/>; false when there was none.</summary>
    public bool TryDeleteRule(PortRule rule)
    {
        try
        {
            Request(RouteRequests.DeleteRule(rule, Next()), "delete rule", rule.ToString());
            return true;
        }
        catch (SystemCallException e) when (e.Errno == Errnos.ENOENT)
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();

    private uint Next() => ++_sequence;

    /// <summary>The messages of <paramref name="type"/>, with at least the family header of <paramref name="headerLength"/> bytes, that a dump answers.</summary>
    private IEnumerable<NetlinkMessage> Dump(Func<uint, byte[]> request, string operation, ushort type, int headerLength)
    {
        uint sequence = Next();
        _socket.Send(request(sequence));
        return Answer(sequence, operation, dump: true, missingIsError: true).Where(m => m.Type == type && m.Payload.Length >= headerLength);
    }

    private static int AddressLength(byte family) => family == RouteRequests.AF_INET6 ? 16 : 4;

    private static string Name(int index) => "link " + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Sends a request that asked for an acknowledgement; false when it failed with ENODEV and <paramref name="missingIsError"/> is off.</summary>
    private bool Request(byte[] request, string operation, string? subject, bool missingIsError = true)
    {
        uint sequence = BinaryPrimitives.ReadUInt32LittleEndian(request.AsSpan(8));
        _socket.Send(request);
        return Answer(sequence, operation, subject, dump: false, missingIsError).Count == 0;
    }

    private List<NetlinkMessage> Answer(uint sequence, string operation, bool dump, bool missingIsError) =>
        Answer(sequence, operation, null, dump, missingIsError);

    /// <summary>
    /// The kernel's answer to request <paramref name="sequence"/>: the messages of a dump up to NLMSG_DONE, or a
    /// single reply, or nothing for an acknowledgement. An NLMSG_ERROR with an errno throws, except ENODEV
    /// (no such link) when <paramref name="missingIsError"/> is off, which comes back as one NLMSG_ERROR message.
    /// </summary>
    private List<NetlinkMessage> Answer(uint sequence, string operation, string? subject, bool dump, bool missingIsError)
    {
        var messages = new List<NetlinkMessage>();
        while (true)
        {
            int length = _socket.Receive(_buffer);
            foreach (NetlinkMessage message in NetlinkMessage.Split(_buffer.AsMemory(0, length)))
            {
                if (message.Sequence != sequence)
                {
                    continue;
                }

                if (message.Type == NetlinkMessage.Error)
                {
                    int errno = message.ErrorNumber;
                    if (errno == 0)
                    {
                        return messages;
                    }

                    if (errno == Errnos.ENODEV && !missingIsError)
                    {
                        return [message];
                    }

                    throw new SystemCallException("netlink: " + operation, subject, errno);
                }

                if (message.Type == NetlinkMessage.Done)
                {
                    return messages;
                }

                // Copied out: the next datagram reuses the buffer.
                messages.Add(message with { Payload = message.Payload.ToArray() });
                if (!dump)
                {
                    return messages;
                }
            }
        }
    }
}

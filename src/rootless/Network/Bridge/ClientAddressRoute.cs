using System.Net;
using Skiff.Core.Errors;
using Skiff.Rootless.Network.Netlink;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// What a container's network namespace needs so that <see cref="ClientAddressDialer"/> may connect from a
/// client's address that is not the container's: the container's replies to such a connection must come back
/// to the dialer's socket instead of leaving through the container's default route. The dialer marks its
/// connections; <c>net.ipv4.tcp_fwmark_accept</c> makes the container's accepted socket carry the mark of the
/// connection request, and a rule sends marked packets to a table whose only route delivers everything
/// locally. Unmarked traffic, everything the container itself starts, is routed as before.
/// UDP has no mark that a reply inherits: each forwarded UDP flow gets a rule of its own instead
/// (<see cref="Steer"/>: the container's port to the flow's client address and port, nothing else), to a table
/// whose only route delivers locally with the container's address as the source, so a server answering from
/// a wildcard socket answers from the address the client sent to.
/// </summary>
public sealed class ClientAddressRoute : IDisposable
{
    /// <summary>The mark of forwarded connections ("sk"), and the routing table marked packets use.</summary>
    public const int Mark = 0x736b;

    public const int Table = 0x736b;

    /// <summary>The routing table of UDP flows' replies.</summary>
    public const int DatagramTable = 0x736c;

    private const string FwmarkAccept = "/proc/sys/net/ipv4/tcp_fwmark_accept";

    private RouteNetlink? _flows;

    /// <summary>Installs the sysctl, the rule and the route in the calling thread's network namespace.</summary>
    public void Install()
    {
        try
        {
            // /proc/sys/net is the calling thread's network namespace.
            File.WriteAllText(FwmarkAccept, "1");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw SkiffException.Unavailable($"cannot set net.ipv4.tcp_fwmark_accept in the container's network namespace: {e.Message}");
        }

        try
        {
            using RouteNetlink netlink = RouteNetlink.Open();
            netlink.AddRule(Mark, Table);
            // ip route replace local 0.0.0.0/0 dev lo table TABLE
            netlink.ReplaceRoute(new RouteEntry(IPAddress.Any, 0, null, netlink.LinkIndex("lo"), Table, RouteKind.Local));
        }
        catch (SystemCallException e)
        {
            throw SkiffException.Unavailable($"cannot route replies to forwarded clients in the container's network namespace: {e.Message}");
        }
    }

    /// <summary>
    /// The table of UDP flows' replies in the calling thread's network namespace (<c>ip route replace local
    /// 0.0.0.0/0 dev lo table DATAGRAMTABLE src CONTAINER</c>); the same thread then steers flows.
    /// </summary>
    public void InstallDatagrams(IPAddress container)
    {
        try
        {
            _flows ??= RouteNetlink.Open();
            _flows.ReplaceRoute(new RouteEntry(IPAddress.Any, 0, null, _flows.LinkIndex("lo"), DatagramTable, RouteKind.Local, PreferredSource: container));
        }
        catch (SystemCallException e)
        {
            throw SkiffException.Unavailable($"cannot route replies to forwarded UDP clients in the container's network namespace: {e.Message}");
        }
    }

    /// <summary>Sends the container's replies matching <paramref name="rule"/> to the flow's socket.</summary>
    /// <exception cref="SystemCallException">The kernel refused the rule.</exception>
    public void Steer(PortRule rule) => Flows().AddRule(rule);

    /// <summary>Removes a flow's rule; a rule already gone is fine.</summary>
    public void Release(PortRule rule)
    {
        try
        {
            Flows().TryDeleteRule(rule);
        }
        catch (SystemCallException)
        {
            // The namespace is going away with its container; nothing else matches this rule.
        }
    }

    public void Dispose() => _flows?.Dispose();

    private RouteNetlink Flows() => _flows ?? throw new InvalidOperationException("InstallDatagrams first");
}

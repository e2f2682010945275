using System.Net;
using Skiff.Core.Errors;
using Skiff.Rootless.Network.Netlink;

namespace Skiff.Rootless.Network;

/// <summary>The host's IPv4 default-route gateway and an address of that route's link.</summary>
public sealed record HostAddresses(string? Address, string? Gateway)
{
    /// <summary>
    /// From two rtnetlink dumps (routes, addresses): the .NET interface list would also read every interface's
    /// ethtool data and /proc/sys files, on the start path of every container with a network.
    /// </summary>
    public static HostAddresses Detect()
    {
        try
        {
            using RouteNetlink netlink = RouteNetlink.Open();
            return From(netlink.Routes(RouteRequests.AF_INET), netlink.Addresses(RouteRequests.AF_INET));
        }
        catch (Exception e) when (e is SystemCallException or IOException)
        {
            return new HostAddresses(null, null);
        }
    }

    /// <summary>
    /// The main table's default route with the lowest metric, and the first address of its link that is not a
    /// loopback one (without a default route: of any link).
    /// </summary>
    public static HostAddresses From(IReadOnlyList<RouteState> routes, IReadOnlyList<AddressState> addresses)
    {
        RouteState? route = routes
            .Where(r => r.Table == RouteRequests.RT_TABLE_MAIN && r.Type == RouteRequests.RTN_UNICAST && r.PrefixLength == 0 && r.OutputInterface != 0)
            .OrderBy(r => r.Metric ?? 0)
            .FirstOrDefault();
        IPAddress? address = addresses
            .Where(a => (route is null || a.Index == route.OutputInterface) && !IPAddress.IsLoopback(a.Address))
            .Select(a => a.Address)
            .FirstOrDefault();
        return new HostAddresses(address?.ToString(), route?.Gateway?.ToString());
    }
}

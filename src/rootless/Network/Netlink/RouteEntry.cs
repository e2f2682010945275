using System.Net;

namespace Skiff.Rootless.Network.Netlink;

/// <summary>
/// A route (IPv4, or IPv6 when its gateway or destination is): <paramref name="Destination"/> null is the default
/// route; <paramref name="Device"/> is an interface index; <paramref name="Metric"/> null leaves the kernel's default.
/// </summary>
public sealed record RouteEntry(IPAddress? Destination, int PrefixLength, IPAddress? Gateway, int Device, int Table = RouteRequests.RT_TABLE_MAIN, RouteKind Kind = RouteKind.Unicast, uint? Metric = null, IPAddress? PreferredSource = null);

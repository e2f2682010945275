using System.Net;

namespace Skiff.Rootless.Network.Netlink;

/// <summary>An IPv4 route to add: <paramref name="Destination"/> null is the default route; <paramref name="Device"/> is an interface index.</summary>
public sealed record RouteEntry(IPAddress? Destination, int PrefixLength, IPAddress? Gateway, int Device, int Table = RouteRequests.RT_TABLE_MAIN, RouteKind Kind = RouteKind.Unicast);

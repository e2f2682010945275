using System.Net;

namespace Skiff.Rootless.Network.Netlink;

/// <summary>
/// A route as a dump shows it (RTM_NEWROUTE): <paramref name="Destination"/> null is a default route;
/// <paramref name="OutputInterface"/> 0 when it names none (a multipath route names its links in its next hops);
/// <paramref name="Metric"/> its RTA_PRIORITY, if any.
/// </summary>
public sealed record RouteState(byte Family, int Table, byte Type, IPAddress? Destination, int PrefixLength, IPAddress? Gateway, int OutputInterface, bool Multipath, uint? Metric = null);

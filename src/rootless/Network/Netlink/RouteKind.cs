namespace Skiff.Rootless.Network.Netlink;

/// <summary>rtm_type of a route skiff adds: a gateway or link route, or a route that delivers locally.</summary>
public enum RouteKind
{
    Unicast,
    Local,
}

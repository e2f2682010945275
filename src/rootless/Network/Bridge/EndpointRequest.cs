namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// What a container asks of its endpoint on one user-defined network (run/create's <c>--network NAME:OPTIONS</c>,
/// <c>--ip</c>, <c>--ip6</c>, <c>--mac-address</c>, <c>--network-alias</c>; network connect's flags); what it leaves
/// out, <see cref="EndpointAllocator"/> chooses.
/// </summary>
public sealed record EndpointRequest
{
    /// <summary>More names the other containers on the network resolve to this one.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>A static IPv4 address, a free host address of the network's subnet.</summary>
    public string? Address { get; init; }

    /// <summary>A static IPv6 address, a free host address of the network's IPv6 subnet.</summary>
    public string? Address6 { get; init; }

    /// <summary>The interface's Ethernet address, canonical (<see cref="MacAddress.Parse"/>).</summary>
    public string? MacAddress { get; init; }

    /// <summary>The interface's name inside the container (interface_name=), else eth0, eth1, ... by position.</summary>
    public string? InterfaceName { get; init; }
}

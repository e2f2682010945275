namespace Skiff.Runtime.Lifecycle;

/// <summary>A container's place on a user-defined network, decided at create: its address there and the names others find it by.</summary>
public sealed record NetworkEndpoint
{
    public required string Network { get; init; }

    public required string NetworkId { get; init; }

    public required string IPAddress { get; init; }

    public required int PrefixLength { get; init; }

    public required string Gateway { get; init; }

    /// <summary>--network-alias values: more names the other containers on the network resolve to this one.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The bridge the container's veth is attached to.</summary>
    public required string Bridge { get; init; }

    /// <summary>No default route (network create --internal).</summary>
    public bool Internal { get; init; }

    /// <summary>The network has a DNS server on its gateway: the container's resolv.conf points at it.</summary>
    public bool DnsEnabled { get; init; }

    /// <summary>The interface inside the container (eth0, eth1, ...); null in configurations from before several networks, where it is eth0.</summary>
    public string? Interface { get; init; }

    /// <summary>The container's IPv6 address on a dual-stack network (network create --ipv6), else null.</summary>
    public string? Ipv6Address { get; init; }

    /// <summary>The prefix length of the network's IPv6 subnet, set with <see cref="Ipv6Address"/>.</summary>
    public int? Ipv6PrefixLength { get; init; }

    /// <summary>The network's IPv6 gateway, set with <see cref="Ipv6Address"/>.</summary>
    public string? Ipv6Gateway { get; init; }

    /// <summary>
    /// The Ethernet address of the container's interface (given, or made up when the endpoint was allocated); null in
    /// configurations from before it was recorded, where the kernel chooses one at each start.
    /// </summary>
    public string? MacAddress { get; init; }

    /// <summary>The interface inside the container.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string InterfaceName => Interface ?? "eth0";
}

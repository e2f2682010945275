using System.Text.Json.Serialization;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// A user-defined network, stored as <c>networks/NAME.json</c> in the shape of podman's network files
/// (what <c>network inspect</c> prints): a Linux bridge with one IPv4 subnet and, when <see cref="Ipv6Enabled"/>,
/// one IPv6 subnet too (dual stack).
/// </summary>
public sealed record NetworkRecord
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("driver")]
    public string Driver { get; init; } = "bridge";

    /// <summary>The bridge device: in the host's network namespace as root, in the rootless network namespace otherwise.</summary>
    [JsonPropertyName("network_interface")]
    public required string NetworkInterface { get; init; }

    [JsonPropertyName("created")]
    public required DateTimeOffset Created { get; init; }

    [JsonPropertyName("subnets")]
    public required IReadOnlyList<NetworkSubnet> Subnets { get; init; }

    [JsonPropertyName("ipv6_enabled")]
    public bool Ipv6Enabled { get; init; }

    /// <summary>No route out: containers reach each other but not the host's networks.</summary>
    [JsonPropertyName("internal")]
    public bool Internal { get; init; }

    /// <summary>
    /// A DNS server on the gateway answers the containers' names (<c>skiff __dns</c>, podman's aardvark-dns);
    /// off with <c>network create --disable-dns</c>. A file without the field (older skiff) has it on.
    /// </summary>
    [JsonPropertyName("dns_enabled")]
    public bool DnsEnabled { get; init; } = true;

    /// <summary><c>network create --dns</c>: the servers the network's DNS server forwards other names to (default: the host's).</summary>
    [JsonPropertyName("network_dns_servers")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? NetworkDnsServers { get; init; }

    [JsonPropertyName("labels")]
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    [JsonPropertyName("ipam_options")]
    public IReadOnlyDictionary<string, string> IpamOptions { get; init; } = new Dictionary<string, string> { ["driver"] = "host-local" };

    /// <summary>The IPv4 subnet (every skiff network has one).</summary>
    [JsonIgnore]
    public Ipv4Subnet Subnet => Ipv4Subnet.Parse(Ipv4Entry.Subnet);

    [JsonIgnore]
    public uint Gateway => Ipv4Subnet.TryParseAddress(Ipv4Entry.Gateway, out uint gateway) ? gateway : Subnet.FirstHost;

    /// <summary>The IPv6 subnet of a dual-stack network, else null.</summary>
    [JsonIgnore]
    public Ipv6Subnet? Subnet6 => Ipv6Entry is { } entry ? Ipv6Subnet.Parse(entry.Subnet) : null;

    /// <summary>The IPv6 gateway of a dual-stack network (the bridge's address), else null.</summary>
    [JsonIgnore]
    public UInt128? Gateway6 => Ipv6Entry is { } entry
        ? Ipv6Subnet.TryParseAddress(entry.Gateway, out UInt128 gateway) ? gateway : Ipv6Subnet.Parse(entry.Subnet).FirstHost
        : null;

    /// <summary>The IPv4 addresses containers get (<c>--ip-range</c>), first to last inclusive; null: the whole subnet.</summary>
    [JsonIgnore]
    public (uint First, uint Last)? Range =>
        Ipv4Entry.LeaseRange is { } range && Ipv4Subnet.TryParseAddress(range.StartIp, out uint first) && Ipv4Subnet.TryParseAddress(range.EndIp, out uint last)
            ? (first, last)
            : null;

    /// <summary>The IPv6 addresses containers get on a dual-stack network with an IPv6 <c>--ip-range</c>, else null.</summary>
    [JsonIgnore]
    public (UInt128 First, UInt128 Last)? Range6 =>
        Ipv6Entry?.LeaseRange is { } range && Ipv6Subnet.TryParseAddress(range.StartIp, out UInt128 first) && Ipv6Subnet.TryParseAddress(range.EndIp, out UInt128 last)
            ? (first, last)
            : null;

    private NetworkSubnet Ipv4Entry => Subnets.FirstOrDefault(s => !Ipv6Subnet.IsIpv6Text(s.Subnet)) ?? Subnets[0];

    private NetworkSubnet? Ipv6Entry => Subnets.FirstOrDefault(s => Ipv6Subnet.IsIpv6Text(s.Subnet));
}

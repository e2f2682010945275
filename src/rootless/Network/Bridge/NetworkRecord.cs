using System.Numerics;
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
    public IpSubnet<uint> Subnet => SubnetOf<uint>()!.Value;

    [JsonIgnore]
    public uint Gateway => GatewayOf<uint>()!.Value;

    /// <summary>The IPv6 subnet of a dual-stack network, else null.</summary>
    [JsonIgnore]
    public IpSubnet<UInt128>? Subnet6 => SubnetOf<UInt128>();

    /// <summary>The IPv6 gateway of a dual-stack network (the bridge's address), else null.</summary>
    [JsonIgnore]
    public UInt128? Gateway6 => GatewayOf<UInt128>();

    /// <summary>The IPv4 addresses containers get (<c>--ip-range</c>), first to last inclusive; null: the whole subnet.</summary>
    [JsonIgnore]
    public (uint First, uint Last)? Range => RangeOf<uint>();

    /// <summary>The IPv6 addresses containers get on a dual-stack network with an IPv6 <c>--ip-range</c>, else null.</summary>
    [JsonIgnore]
    public (UInt128 First, UInt128 Last)? Range6 => RangeOf<UInt128>();

    private IpSubnet<T>? SubnetOf<T>()
        where T : struct, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T> =>
        EntryOf<T>() is { } entry ? IpSubnet<T>.Parse(entry.Subnet) : null;

    /// <summary>The recorded gateway; a file without one has it on the subnet's first address.</summary>
    private T? GatewayOf<T>()
        where T : struct, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T> =>
        EntryOf<T>() is { } entry
            ? IpSubnet<T>.TryParseAddress(entry.Gateway, out T gateway) ? gateway : IpSubnet<T>.Parse(entry.Subnet).FirstHost
            : null;

    private (T First, T Last)? RangeOf<T>()
        where T : struct, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T> =>
        EntryOf<T>()?.LeaseRange is { } range && IpSubnet<T>.TryParseAddress(range.StartIp, out T first) && IpSubnet<T>.TryParseAddress(range.EndIp, out T last)
            ? (first, last)
            : null;

    /// <summary>The subnet entry of the family; every network has an IPv4 one, taken to be the first when none is written as IPv4.</summary>
    private NetworkSubnet? EntryOf<T>()
    {
        IpFamily family = IpFamily.Of<T>();
        NetworkSubnet? entry = Subnets.FirstOrDefault(s => IpFamily.OfText(s.Subnet) == family);
        return entry is null && family == IpFamily.V4 ? Subnets[0] : entry;
    }
}

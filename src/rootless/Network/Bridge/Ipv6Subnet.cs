using Skiff.Core.Errors;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>An IPv6 network in CIDR form (fd12:3456:789a:1::/64), held as a 128-bit number and a prefix length (<see cref="IpPrefix"/>).</summary>
public readonly record struct Ipv6Subnet(UInt128 Network, int PrefixLength)
{
    public UInt128 Mask => IpPrefix.Mask<UInt128>(PrefixLength);

    /// <summary>The last address of the subnet (IPv6 has no broadcast; host-local IPAM does not hand it out either).</summary>
    public UInt128 Last => Network | ~Mask;

    /// <summary>The first usable address, where podman puts the gateway.</summary>
    public UInt128 FirstHost => Network + 1;

    public static Ipv6Subnet Parse(string text) =>
        IpPrefix.TryParse(text, 126, out UInt128 network, out int prefix)
            ? new Ipv6Subnet(network, prefix)
            : throw SkiffException.InvalidArgument($"invalid subnet \"{text}\"", "give an IPv6 subnet in CIDR form with a prefix of 1 to 126, e.g. fd12:3456:789a:1::/64");

    /// <summary>An IPv6 address in text form (not an IPv4-mapped one, nor one with a zone).</summary>
    public static bool TryParseAddress(string text, out UInt128 address) => IpPrefix.TryParseAddress(text, out address);

    public static string FormatAddress(UInt128 address) => IpPrefix.FormatAddress(address);

    /// <summary>Whether <paramref name="text"/> is written as an IPv6 subnet or address (it has a colon), as opposed to IPv4.</summary>
    public static bool IsIpv6Text(string text) => text.Contains(':');

    public bool Contains(UInt128 address) => (address & Mask) == Network;

    public bool Overlaps(Ipv6Subnet other) => IpPrefix.Overlaps(Network, PrefixLength, other.Network, other.PrefixLength);

    public override string ToString() => IpPrefix.Format(Network, PrefixLength);
}

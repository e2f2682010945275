using Skiff.Core.Errors;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>An IPv4 network in CIDR form (10.89.0.0/24), held as a host-order number and a prefix length (<see cref="IpPrefix"/>).</summary>
public readonly record struct Ipv4Subnet(uint Network, int PrefixLength)
{
    public uint Mask => IpPrefix.Mask<uint>(PrefixLength);

    public uint Broadcast => Network | ~Mask;

    /// <summary>The first usable address, where podman puts the gateway.</summary>
    public uint FirstHost => Network + 1;

    public static Ipv4Subnet Parse(string text) =>
        IpPrefix.TryParse(text, 30, out uint network, out int prefix)
            ? new Ipv4Subnet(network, prefix)
            : throw SkiffException.InvalidArgument($"invalid subnet \"{text}\"", "give an IPv4 subnet in CIDR form with a prefix of 1 to 30, e.g. 10.90.0.0/24");

    public static bool TryParseAddress(string text, out uint address) => IpPrefix.TryParseAddress(text, out address);

    public static string FormatAddress(uint address) => IpPrefix.FormatAddress(address);

    public bool Contains(uint address) => (address & Mask) == Network;

    public bool Overlaps(Ipv4Subnet other) => IpPrefix.Overlaps(Network, PrefixLength, other.Network, other.PrefixLength);

    public override string ToString() => IpPrefix.Format(Network, PrefixLength);
}

using System.Globalization;
using System.Net;
using System.Numerics;
using Skiff.Core.Errors;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// An IP network in CIDR form (10.89.0.0/24, fd12:3456:789a:1::/64), held as a host-order number as wide as the
/// family's addresses (<see cref="uint"/> for IPv4, <see cref="UInt128"/> for IPv6, <see cref="IpFamily"/>) and a
/// prefix length: the prefix is the number's top bits.
/// </summary>
public readonly record struct IpSubnet<T>(T Network, int PrefixLength)
    where T : struct, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T>
{
    public T Mask => MaskOf(PrefixLength);

    /// <summary>The last address: IPv4's broadcast; IPv6 has none, but host-local IPAM does not hand it out either.</summary>
    public T Last => Network | ~Mask;

    /// <summary>The first usable address, where podman puts the gateway.</summary>
    public T FirstHost => Network + T.One;

    private static int Bits => T.Zero.GetByteCount() * 8;

    /// <summary>The subnet of <paramref name="prefix"/> bits that holds <paramref name="address"/>.</summary>
    public static IpSubnet<T> Containing(T address, int prefix) => new(address & MaskOf(prefix), prefix);

    /// <summary>ADDRESS/PREFIX with a prefix of 1 to the family's <see cref="IpFamily.MaxPrefix"/>, normalized to its network.</summary>
    public static IpSubnet<T> Parse(string text)
    {
        IpFamily family = IpFamily.Of<T>();
        string[] parts = text.Split('/', 2);
        return parts.Length == 2
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int prefix) && prefix >= 1 && prefix <= family.MaxPrefix
            && TryParseAddress(parts[0], out T address)
            ? Containing(address, prefix)
            : throw SkiffException.InvalidArgument(
                $"invalid subnet \"{text}\"",
                $"give an {family.Name} subnet in CIDR form with a prefix of 1 to {family.MaxPrefix.ToString(CultureInfo.InvariantCulture)}, e.g. {family.ExampleSubnet}");
    }

    /// <summary>
    /// An address of the family in its usual text form: IPv4 as a dotted quad (all four parts, not the short forms
    /// IPAddress also takes), IPv6 with colons (no zone, not IPv4-mapped).
    /// </summary>
    public static bool TryParseAddress(string text, out T address)
    {
        address = T.Zero;
        IpFamily family = IpFamily.Of<T>();
        if (!IPAddress.TryParse(text, out IPAddress? ip)
            || ip.AddressFamily != family.AddressFamily
            || (family == IpFamily.V4 ? text.Count(c => c == '.') != 3 : !text.Contains(':') || text.Contains('%') || ip.IsIPv4MappedToIPv6))
        {
            return false;
        }

        address = T.ReadBigEndian(ip.GetAddressBytes(), isUnsigned: true);
        return true;
    }

    public static string FormatAddress(T address)
    {
        Span<byte> bytes = stackalloc byte[address.GetByteCount()];
        address.WriteBigEndian(bytes);
        return new IPAddress(bytes).ToString();
    }

    public bool Contains(T address) => (address & Mask) == Network;

    /// <summary>Whether a container or the gateway may have <paramref name="address"/>: it is in the subnet and neither its network nor its last address.</summary>
    public bool IsHost(T address) => Contains(address) && address != Network && address != Last;

    /// <summary>Two subnets overlap when one contains the other: they agree on the shorter prefix's bits.</summary>
    public bool Overlaps(IpSubnet<T> other)
    {
        T mask = MaskOf(Math.Min(PrefixLength, other.PrefixLength));
        return (Network & mask) == (other.Network & mask);
    }

    public override string ToString() => $"{FormatAddress(Network)}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    private static T MaskOf(int prefix) => prefix == 0 ? T.Zero : T.MaxValue << (Bits - prefix);
}

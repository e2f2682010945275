using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// The arithmetic <see cref="Ipv4Subnet"/> (over <see cref="uint"/>) and <see cref="Ipv6Subnet"/> (over
/// <see cref="UInt128"/>) share: an address is a host-order number as wide as the family's addresses, a
/// prefix of a given length is its top bits.
/// </summary>
internal static class IpPrefix
{
    public static int Bits<T>()
        where T : IBinaryInteger<T> => T.Zero.GetByteCount() * 8;

    public static T Mask<T>(int prefix)
        where T : IBinaryInteger<T>, IMinMaxValue<T> => prefix == 0 ? T.Zero : T.MaxValue << (Bits<T>() - prefix);

    /// <summary>Two prefixes overlap when one contains the other: they agree on the shorter one's bits.</summary>
    public static bool Overlaps<T>(T network, int prefix, T otherNetwork, int otherPrefix)
        where T : IBinaryInteger<T>, IMinMaxValue<T>
    {
        T mask = Mask<T>(Math.Min(prefix, otherPrefix));
        return (network & mask) == (otherNetwork & mask);
    }

    /// <summary>ADDRESS/PREFIX of the family of <typeparamref name="T"/> with a prefix of 1 to <paramref name="maxPrefix"/>, normalized to its network.</summary>
    public static bool TryParse<T>(string text, int maxPrefix, out T network, out int prefix)
        where T : IBinaryInteger<T>, IMinMaxValue<T>
    {
        network = T.Zero;
        string[] parts = text.Split('/', 2);
        if (parts.Length != 2
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix < 1 || prefix > maxPrefix
            || !TryParseAddress(parts[0], out T address))
        {
            prefix = 0;
            return false;
        }

        network = address & Mask<T>(prefix);
        return true;
    }

    /// <summary>
    /// An address of the family of <typeparamref name="T"/> in its usual text form: IPv4 dotted quad (all four
    /// parts, not the short forms IPAddress also takes), IPv6 with colons (no zone, not IPv4-mapped).
    /// </summary>
    public static bool TryParseAddress<T>(string text, out T address)
        where T : IBinaryInteger<T>
    {
        address = T.Zero;
        bool v4 = Bits<T>() == 32;
        if (!IPAddress.TryParse(text, out IPAddress? ip)
            || ip.AddressFamily != (v4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6)
            || (v4 ? text.Count(c => c == '.') != 3 : !text.Contains(':') || text.Contains('%') || ip.IsIPv4MappedToIPv6))
        {
            return false;
        }

        address = T.ReadBigEndian(ip.GetAddressBytes(), isUnsigned: true);
        return true;
    }

    public static string FormatAddress<T>(T address)
        where T : IBinaryInteger<T>
    {
        Span<byte> bytes = stackalloc byte[address.GetByteCount()];
        address.WriteBigEndian(bytes);
        return new IPAddress(bytes).ToString();
    }

    public static string Format<T>(T network, int prefix)
        where T : IBinaryInteger<T> => $"{FormatAddress(network)}/{prefix.ToString(CultureInfo.InvariantCulture)}";
}

using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Skiff.Core.Errors;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>An IPv6 network in CIDR form (fd12:3456:789a:1::/64), held as a 128-bit number and a prefix length.</summary>
public readonly record struct Ipv6Subnet(UInt128 Network, int PrefixLength)
{
    public UInt128 Mask => MaskOf(PrefixLength);

    /// <summary>The last address of the subnet (IPv6 has no broadcast; host-local IPAM does not hand it out either).</summary>
    public UInt128 Last => Network | ~Mask;

    /// <summary>The first usable address, where podman puts the gateway.</summary>
    public UInt128 FirstHost => Network + 1;

    public static Ipv6Subnet Parse(string text)
    {
        string[] parts = text.Split('/', 2);
        if (parts.Length != 2
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int prefix) || prefix is < 1 or > 126
            || !TryParseAddress(parts[0], out UInt128 address))
        {
            throw SkiffException.InvalidArgument($"invalid subnet \"{text}\"", "give an IPv6 subnet in CIDR form with a prefix of 1 to 126, e.g. fd12:3456:789a:1::/64");
        }

        return new Ipv6Subnet(address & MaskOf(prefix), prefix);
    }

    /// <summary>An IPv6 address in text form (not an IPv4-mapped one, nor one with a zone).</summary>
    public static bool TryParseAddress(string text, out UInt128 address)
    {
        address = 0;
        if (!text.Contains(':') || text.Contains('%') || !IPAddress.TryParse(text, out IPAddress? ip)
            || ip.AddressFamily != AddressFamily.InterNetworkV6 || ip.IsIPv4MappedToIPv6)
        {
            return false;
        }

        address = BinaryPrimitives.ReadUInt128BigEndian(ip.GetAddressBytes());
        return true;
    }

    public static string FormatAddress(UInt128 address)
    {
        byte[] bytes = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, address);
        return new IPAddress(bytes).ToString();
    }

    /// <summary>Whether <paramref name="text"/> is written as an IPv6 subnet or address (it has a colon), as opposed to IPv4.</summary>
    public static bool IsIpv6Text(string text) => text.Contains(':');

    public bool Contains(UInt128 address) => (address & Mask) == Network;

    public bool Overlaps(Ipv6Subnet other)
    {
        UInt128 mask = MaskOf(Math.Min(PrefixLength, other.PrefixLength));
        return (Network & mask) == (other.Network & mask);
    }

    public override string ToString() => $"{FormatAddress(Network)}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    private static UInt128 MaskOf(int prefix) => prefix == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - prefix);
}

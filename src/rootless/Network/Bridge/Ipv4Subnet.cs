using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Skiff.Core.Errors;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>An IPv4 network in CIDR form (10.89.0.0/24), held as a host-order number and a prefix length.</summary>
public readonly record struct Ipv4Subnet(uint Network, int PrefixLength)
{
    public uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);

    public uint Broadcast => Network | ~Mask;

    /// <summary>The first usable address, where podman puts the gateway.</summary>
    public uint FirstHost => Network + 1;

    public static Ipv4Subnet Parse(string text)
    {
        string[] parts = text.Split('/', 2);
        if (parts.Length != 2
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int prefix) || prefix is < 1 or > 30
            || !TryParseAddress(parts[0], out uint address))
        {
            throw SkiffException.InvalidArgument($"invalid subnet \"{text}\"", "give an IPv4 subnet in CIDR form with a prefix of 1 to 30, e.g. 10.90.0.0/24");
        }

        uint mask = uint.MaxValue << (32 - prefix);
        return new Ipv4Subnet(address & mask, prefix);
    }

    public static bool TryParseAddress(string text, out uint address)
    {
        address = 0;
        if (!IPAddress.TryParse(text, out IPAddress? ip) || ip.AddressFamily != AddressFamily.InterNetwork || text.Count(c => c == '.') != 3)
        {
            return false;
        }

        address = BinaryPrimitives.ReadUInt32BigEndian(ip.GetAddressBytes());
        return true;
    }

    public static string FormatAddress(uint address)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return new IPAddress(bytes).ToString();
    }

    public bool Contains(uint address) => (address & Mask) == Network;

    public bool Overlaps(Ipv4Subnet other)
    {
        int prefix = Math.Min(PrefixLength, other.PrefixLength);
        uint mask = prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);
        return (Network & mask) == (other.Network & mask);
    }

    public override string ToString() => $"{FormatAddress(Network)}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";
}

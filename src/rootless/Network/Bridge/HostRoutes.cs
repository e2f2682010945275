using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>The host's IPv4 and IPv6 routes (from /proc/net/route and /proc/net/ipv6_route), which new networks must not overlap.</summary>
public static class HostRoutes
{
    public static IReadOnlyList<IpSubnet<uint>> Read(string path = "/proc/net/route") => ReadTable(path, Parse);

    /// <summary>Parses the table: destination and mask are in the kernel's byte order (little-endian hex); the default route is skipped.</summary>
    public static IReadOnlyList<IpSubnet<uint>> Parse(string table)
    {
        var routes = new List<IpSubnet<uint>>();
        foreach (string line in table.Split('\n').Skip(1))
        {
            string[] f = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 8
                || !uint.TryParse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint destination)
                || !uint.TryParse(f[7], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint mask))
            {
                continue;
            }

            uint network = BinaryPrimitives.ReverseEndianness(destination);
            uint hostMask = BinaryPrimitives.ReverseEndianness(mask);
            int prefix = BitOperations.PopCount(hostMask);
            if (prefix == 0)
            {
                continue;
            }

            routes.Add(IpSubnet<uint>.Containing(network, prefix));
        }

        return routes;
    }

    public static IReadOnlyList<IpSubnet<UInt128>> ReadIpv6(string path = "/proc/net/ipv6_route") => ReadTable(path, ParseIpv6);

    /// <summary>Parses the table: destination as 32 hex digits in network order, then the prefix length in hex; default routes are skipped.</summary>
    public static IReadOnlyList<IpSubnet<UInt128>> ParseIpv6(string table)
    {
        var routes = new List<IpSubnet<UInt128>>();
        foreach (string line in table.Split('\n'))
        {
            string[] f = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 2 || f[0].Length != 32
                || !UInt128.TryParse(f[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out UInt128 destination)
                || !int.TryParse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int prefix) || prefix is < 1 or > 128)
            {
                continue;
            }

            routes.Add(IpSubnet<UInt128>.Containing(destination, prefix));
        }

        return routes;
    }

    /// <summary>A table that cannot be read (no IPv6 in this kernel, no /proc) has no routes to avoid.</summary>
    private static IReadOnlyList<IpSubnet<T>> ReadTable<T>(string path, Func<string, IReadOnlyList<IpSubnet<T>>> parse)
        where T : struct, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T>
    {
        try
        {
            return parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}

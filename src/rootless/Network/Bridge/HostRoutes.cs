using System.Buffers.Binary;
using System.Globalization;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>The host's IPv4 and IPv6 routes (from /proc/net/route and /proc/net/ipv6_route), which new networks must not overlap.</summary>
public static class HostRoutes
{
    public static IReadOnlyList<Ipv4Subnet> Read(string path = "/proc/net/route")
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Parses the table: destination and mask are in the kernel's byte order (little-endian hex); the default route is skipped.</summary>
    public static IReadOnlyList<Ipv4Subnet> Parse(string table)
    {
        var routes = new List<Ipv4Subnet>();
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
            int prefix = System.Numerics.BitOperations.PopCount(hostMask);
            if (prefix == 0)
            {
                continue;
            }

            routes.Add(new Ipv4Subnet(network & hostMask, prefix));
        }

        return routes;
    }

    public static IReadOnlyList<Ipv6Subnet> ReadIpv6(string path = "/proc/net/ipv6_route")
    {
        try
        {
            return ParseIpv6(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No IPv6 in this kernel: nothing to avoid.
            return [];
        }
    }

    /// <summary>Parses the table: destination as 32 hex digits in network order, then the prefix length in hex; default routes are skipped.</summary>
    public static IReadOnlyList<Ipv6Subnet> ParseIpv6(string table)
    {
        var routes = new List<Ipv6Subnet>();
        foreach (string line in table.Split('\n'))
        {
            string[] f = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 2 || f[0].Length != 32
                || !UInt128.TryParse(f[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out UInt128 destination)
                || !int.TryParse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int prefix) || prefix is < 1 or > 128)
            {
                continue;
            }

            UInt128 mask = UInt128.MaxValue << (128 - prefix);
            routes.Add(new Ipv6Subnet(destination & mask, prefix));
        }

        return routes;
    }
}

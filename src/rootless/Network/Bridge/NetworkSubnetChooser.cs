using System.Numerics;
using Skiff.Core.Errors;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// The subnet entry of one IP family of a new network from <c>network create</c>'s <c>--subnet</c>,
/// <c>--gateway</c> and <c>--ip-range</c> of that family (podman's checks and messages): a given subnet must
/// overlap no used one, else the allocator picks a free one; the gateway defaults to the first host address.
/// </summary>
public static class NetworkSubnetChooser
{
    /// <param name="subnet">The <c>--subnet</c> of the family, or null to allocate one.</param>
    /// <param name="gateway">The <c>--gateway</c> of the family, or null for the subnet's first host address.</param>
    /// <param name="range">The <c>--ip-range</c> of the family (CIDR), or null for the whole subnet.</param>
    /// <param name="used">The subnets of the other networks and the host's routes.</param>
    /// <param name="allocate">Picks a free subnet that overlaps none of <paramref name="used"/>.</param>
    public static NetworkSubnet Choose<T>(string? subnet, string? gateway, string? range, IEnumerable<IpSubnet<T>> used, Func<IEnumerable<IpSubnet<T>>, IpSubnet<T>> allocate)
        where T : struct, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T>
    {
        IpSubnet<T> chosen = subnet is null ? allocate(used) : Given(IpSubnet<T>.Parse(subnet), used);
        return new NetworkSubnet
        {
            Subnet = chosen.ToString(),
            Gateway = IpSubnet<T>.FormatAddress(Gateway(gateway, chosen)),
            LeaseRange = range is null ? null : LeaseRange(IpSubnet<T>.Parse(range), chosen),
        };
    }

    private static IpSubnet<T> Given<T>(IpSubnet<T> subnet, IEnumerable<IpSubnet<T>> used)
        where T : struct, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T> =>
        used.Any(subnet.Overlaps)
            ? throw SkiffException.Conflict($"subnet {subnet} is already used on the host or by another config", "choose another --subnet, or leave it out to get a free one")
            : subnet;

    private static T Gateway<T>(string? given, IpSubnet<T> subnet)
        where T : struct, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T>
    {
        if (given is null)
        {
            return subnet.FirstHost;
        }

        return IpSubnet<T>.TryParseAddress(given, out T gateway) && subnet.IsHost(gateway)
            ? gateway
            : throw SkiffException.InvalidArgument($"gateway {given} not in subnet {subnet}", "give a --gateway address inside the --subnet");
    }

    /// <summary>podman's lease range of an <c>--ip-range</c> CIDR: from its first host address to its last address, both inside the subnet.</summary>
    private static NetworkLeaseRange LeaseRange<T>(IpSubnet<T> range, IpSubnet<T> subnet)
        where T : struct, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T>
    {
        (string start, string end) = (IpSubnet<T>.FormatAddress(range.FirstHost), IpSubnet<T>.FormatAddress(range.Last));
        if (!subnet.Contains(range.FirstHost) || !subnet.Contains(range.Last))
        {
            throw SkiffException.InvalidArgument(
                subnet.Contains(range.FirstHost) ? $"lease range end ip {end} not in subnet {subnet}" : $"lease range start ip {start} not in subnet {subnet}",
                $"give an --ip-range inside {subnet}");
        }

        return new NetworkLeaseRange { StartIp = start, EndIp = end };
    }
}

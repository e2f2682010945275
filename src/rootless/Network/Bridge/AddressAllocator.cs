using System.Numerics;
using Skiff.Core.Errors;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// IPAM for one network: the lowest address of the subnet that is neither the network, the broadcast (IPv6:
/// the last address), the gateway nor held by another container (host-local IPAM's order).
/// </summary>
public static class AddressAllocator
{
    public static uint Next(Ipv4Subnet subnet, uint gateway, IEnumerable<uint> used) =>
        Lowest(subnet.FirstHost, subnet.Broadcast, gateway, used, subnet.ToString());

    public static UInt128 Next(Ipv6Subnet subnet, UInt128 gateway, IEnumerable<UInt128> used) =>
        Lowest(subnet.FirstHost, subnet.Last, gateway, used, subnet.ToString());

    /// <summary>The lowest address from <paramref name="first"/> up to (not including) <paramref name="end"/> that is free.</summary>
    private static T Lowest<T>(T first, T end, T gateway, IEnumerable<T> used, string subnet)
        where T : IBinaryInteger<T>
    {
        var taken = new HashSet<T>(used) { gateway };
        for (T address = first; address < end; address++)
        {
            if (!taken.Contains(address))
            {
                return address;
            }
        }

        throw SkiffException.Unavailable($"no free address left in {subnet}", "remove containers from the network, or create a network with a larger --subnet");
    }
}

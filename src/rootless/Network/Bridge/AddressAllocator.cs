using Skiff.Core.Errors;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// IPAM for one network: the lowest address of the subnet that is neither the network, the broadcast,
/// the gateway nor held by another container (host-local IPAM's order).
/// </summary>
public static class AddressAllocator
{
    public static uint Next(Ipv4Subnet subnet, uint gateway, IEnumerable<uint> used)
    {
        var taken = new HashSet<uint>(used) { gateway };
        for (uint address = subnet.FirstHost; address < subnet.Broadcast; address++)
        {
            if (!taken.Contains(address))
            {
                return address;
            }
        }

        throw SkiffException.Unavailable($"no free address left in {subnet}", "remove containers from the network, or create a network with a larger --subnet");
    }

    /// <summary>The same for a network's IPv6 subnet: the lowest address after the subnet's first that is neither the gateway nor used.</summary>
    public static UInt128 Next(Ipv6Subnet subnet, UInt128 gateway, IEnumerable<UInt128> used)
    {
        var taken = new HashSet<UInt128>(used) { gateway };
        for (UInt128 address = subnet.FirstHost; address < subnet.Last; address++)
        {
            if (!taken.Contains(address))
            {
                return address;
            }
        }

        throw SkiffException.Unavailable($"no free address left in {subnet}", "remove containers from the network, or create a network with a larger --subnet");
    }
}

using System.Numerics;
using Skiff.Core.Errors;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// IPAM for one network: the lowest address of the subnet (or of its <c>--ip-range</c>) that is neither the
/// network, the broadcast (IPv6: the last address), the gateway nor held by another container (host-local
/// IPAM's order).
/// </summary>
public static class AddressAllocator
{
    /// <param name="subnet">The network's subnet (IPv4 or IPv6).</param>
    /// <param name="gateway">Its gateway, never handed out.</param>
    /// <param name="used">The addresses the containers on it hold.</param>
    /// <param name="range">The lease range, first to last inclusive, inside the subnet; null: the whole subnet.</param>
    public static T Next<T>(IpSubnet<T> subnet, T gateway, IEnumerable<T> used, (T First, T Last)? range = null)
        where T : struct, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T>
    {
        T first = T.Max(subnet.FirstHost, range?.First ?? T.Zero);
        T last = T.Min(subnet.Last - T.One, range?.Last ?? T.MaxValue);
        var taken = new HashSet<T>(used) { gateway };
        for (T address = first; address <= last; address++)
        {
            if (!taken.Contains(address))
            {
                return address;
            }

            if (address == last)
            {
                break; // last may be the type's maximum
            }
        }

        string pool = range is { } r ? $"{IpSubnet<T>.FormatAddress(r.First)}-{IpSubnet<T>.FormatAddress(r.Last)}" : subnet.ToString();
        throw SkiffException.Unavailable($"no free address left in {pool}", "remove containers from the network, or create a network with a larger --subnet or --ip-range");
    }
}

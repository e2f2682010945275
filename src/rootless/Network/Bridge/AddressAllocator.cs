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
    /// <param name="subnet">The network's subnet.</param>
    /// <param name="gateway">Its gateway, never handed out.</param>
    /// <param name="used">The addresses the containers on it hold.</param>
    /// <param name="range">The lease range, first to last inclusive, inside the subnet; null: the whole subnet.</param>
    public static uint Next(Ipv4Subnet subnet, uint gateway, IEnumerable<uint> used, (uint First, uint Last)? range = null) =>
        Lowest(
            Math.Max(subnet.FirstHost, range?.First ?? 0),
            Math.Min(subnet.Broadcast - 1, range?.Last ?? uint.MaxValue),
            gateway,
            used,
            range is { } r ? $"{Ipv4Subnet.FormatAddress(r.First)}-{Ipv4Subnet.FormatAddress(r.Last)}" : subnet.ToString());

    /// <inheritdoc cref="Next(Ipv4Subnet, uint, IEnumerable{uint}, ValueTuple{uint, uint}?)"/>
    public static UInt128 Next(Ipv6Subnet subnet, UInt128 gateway, IEnumerable<UInt128> used, (UInt128 First, UInt128 Last)? range = null) =>
        Lowest(
            UInt128.Max(subnet.FirstHost, range?.First ?? UInt128.Zero),
            UInt128.Min(subnet.Last - 1, range?.Last ?? UInt128.MaxValue),
            gateway,
            used,
            range is { } r ? $"{Ipv6Subnet.FormatAddress(r.First)}-{Ipv6Subnet.FormatAddress(r.Last)}" : subnet.ToString());

    /// <summary>The lowest address from <paramref name="first"/> up to <paramref name="last"/> (inclusive) that is free.</summary>
    private static T Lowest<T>(T first, T last, T gateway, IEnumerable<T> used, string pool)
        where T : IBinaryInteger<T>
    {
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

        throw SkiffException.Unavailable($"no free address left in {pool}", "remove containers from the network, or create a network with a larger --subnet or --ip-range");
    }
}

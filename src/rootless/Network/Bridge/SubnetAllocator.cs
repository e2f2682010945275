using Skiff.Core.Errors;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// Picks a free subnet for a new network as podman does: the first /24 of 10.89.0.0/16 that overlaps
/// neither another network nor a route of the host (a LAN or VPN already using it would become unreachable).
/// </summary>
public static class SubnetAllocator
{
    public static readonly IpSubnet<uint> Pool = new(0x0A590000, 16);

    public static IpSubnet<uint> Next(IEnumerable<IpSubnet<uint>> used)
    {
        List<IpSubnet<uint>> taken = used.ToList();
        for (uint network = Pool.Network; Pool.Contains(network); network += 256)
        {
            var candidate = new IpSubnet<uint>(network, 24);
            if (!taken.Any(candidate.Overlaps))
            {
                return candidate;
            }
        }

        throw SkiffException.Unavailable($"could not find a free subnet in {Pool}", "remove unused networks (skiff network prune) or give --subnet");
    }
}

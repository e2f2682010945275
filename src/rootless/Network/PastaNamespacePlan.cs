using System.Net;
using Skiff.Rootless.Network.Netlink;

namespace Skiff.Rootless.Network;

/// <summary>
/// What pasta's <c>--config-net</c> makes of a namespace, predicted from the host the way pasta reads it: per
/// family, the link of the host's default route (pasta's external interface), that link's addresses other than
/// link-local and deprecated ones, and its main-table routes. pasta brings the link up, then copies addresses
/// and routes, IPv4 before IPv6; the namespace shows all of them only once it is done (old pastas set one
/// address and the default route, which the kernel completes with the same prefix and link-local routes).
/// <see cref="Predict"/> returns null where pasta's choice is not that plain (no default route but other routes,
/// default routes on two links, multipath): the caller then waits for pasta's foreground exit, as before.
/// </summary>
public sealed record PastaNamespacePlan(IReadOnlyList<AddressState> Addresses, IReadOnlyList<RouteState> Routes)
{
    private const int MainTable = 254;
    private const byte Unicast = 1;
    private const byte LinkScope = 253;
    private const uint Deprecated = 0x20;
    private const uint Up = 0x1;
    private const uint Loopback = 0x8;
    private const uint NoArp = 0x80;

    /// <summary>The plan for the host's <paramref name="addresses"/> and <paramref name="routes"/> (IPv4 and IPv6, every table), or null.</summary>
    public static PastaNamespacePlan? Predict(IReadOnlyList<AddressState> addresses, IReadOnlyList<RouteState> routes)
    {
        var expectedAddresses = new List<AddressState>();
        var expectedRoutes = new List<RouteState>();
        foreach (byte family in new[] { RouteRequests.AF_INET, RouteRequests.AF_INET6 })
        {
            List<RouteState> main = routes.Where(r => r.Family == family && r.Table == MainTable && r.Type == Unicast).ToList();
            if (main.Any(r => r.Multipath || r.OutputInterface == 0))
            {
                return null;
            }

            List<int> external = main.Where(r => r.PrefixLength == 0).Select(r => r.OutputInterface).Distinct().ToList();
            if (external.Count == 0)
            {
                // pasta then picks the link of any other route (its choice depends on its version): unpredictable.
                if (main.Any(r => !LinkLocal(r)))
                {
                    return null;
                }

                continue;
            }

            if (external.Count > 1)
            {
                return null;
            }

            List<AddressState> copied = addresses
                .Where(a => a.Family == family && a.Index == external[0] && a.Scope != LinkScope && (a.Flags & Deprecated) == 0)
                .ToList();
            if (copied.Count == 0)
            {
                return null;
            }

            expectedAddresses.AddRange(copied);
            expectedRoutes.AddRange(main.Where(r => r.OutputInterface == external[0]));
        }

        return expectedRoutes.Count == 0 ? null : new PastaNamespacePlan(expectedAddresses, expectedRoutes);
    }

    /// <summary>
    /// Whether the namespace (its <paramref name="links"/>, <paramref name="addresses"/> and <paramref name="routes"/>)
    /// shows everything pasta configures: loopback up, its one other link up (and answering ARP and neighbour
    /// solicitations again: new pastas turn that off while IPv6 comes up) with every address and route.
    /// </summary>
    public bool IsMetBy(IReadOnlyList<LinkState> links, IReadOnlyList<AddressState> addresses, IReadOnlyList<RouteState> routes)
    {
        List<LinkState> others = links.Where(l => (l.Flags & Loopback) == 0).ToList();
        if (others.Count != 1 || links.Any(l => (l.Flags & Up) == 0) || (others[0].Flags & NoArp) != 0)
        {
            return false;
        }

        int tap = others[0].Index;
        return Addresses.All(e => addresses.Any(a => a.Index == tap && a.Family == e.Family && a.PrefixLength == e.PrefixLength && a.Address.Equals(e.Address)))
            && Routes.All(e => routes.Any(r => r.OutputInterface == tap && r.Table == MainTable && r.Family == e.Family
                && r.PrefixLength == e.PrefixLength && Equals(r.Destination, e.Destination) && Equals(r.Gateway, e.Gateway)));
    }

    /// <summary>fe80::/10 and 169.254.0.0/16 routes, which pasta does not count when it picks its link.</summary>
    private static bool LinkLocal(RouteState route) =>
        route.Destination is { } destination && route.PrefixLength > 0 && (destination.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? destination.IsIPv6LinkLocal && route.PrefixLength >= 10
            : route.PrefixLength >= 16 && destination.GetAddressBytes() is [169, 254, ..]);
}

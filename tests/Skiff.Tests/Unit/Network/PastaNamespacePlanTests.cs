using System.Net;
using Skiff.Rootless.Network;
using Skiff.Rootless.Network.Netlink;

namespace Skiff.Tests.Unit.Network;

/// <summary>The namespace pasta's --config-net leaves, predicted from the host (the states are this machine's, from ip(8)).</summary>
public sealed class PastaNamespacePlanTests
{
    private const byte V4 = RouteRequests.AF_INET;
    private const byte V6 = RouteRequests.AF_INET6;
    private const int Main = 254;
    private const int Local = 255;
    private const byte Unicast = 1;
    private const int HostLink = 4;
    private const int OtherHostLink = 7;
    private const int Tap = 2;
    private const uint UpLowerUp = 0x1 | 0x10000;
    private const uint Loopback = 0x8;
    private const uint NoArp = 0x80;

    private static readonly AddressState[] HostAddresses =
    [
        new(V4, 1, IPAddress.Parse("127.0.0.1"), 8, 254, 0x80),
        new(V4, HostLink, IPAddress.Parse("192.0.2.2"), 24, 0, 0x80),
        new(V6, HostLink, IPAddress.Parse("fd00::2"), 64, 0, 0x02 | 0x80),
        new(V6, HostLink, IPAddress.Parse("fe80::fc:ff:fe00:1"), 64, 253, 0x80),
    ];

    private static readonly RouteState[] HostRoutes =
    [
        Route(V4, null, 0, "192.0.2.1", HostLink),
        Route(V4, "10.88.0.0", 16, null, OtherHostLink),
        Route(V4, "192.0.2.0", 24, null, HostLink),
        Route(V4, "192.0.2.2", 32, null, HostLink, Local, type: 2),
        Route(V6, "fd00::", 64, null, HostLink),
        Route(V6, "fe80::", 64, null, HostLink),
        Route(V6, "fe80::", 64, null, OtherHostLink),
        Route(V6, null, 0, "fd00::1", HostLink),
    ];

    [Fact]
    public void A_dual_stack_host_predicts_the_external_links_addresses_and_main_table_routes_of_both_families()
    {
        PastaNamespacePlan plan = PastaNamespacePlan.Predict(HostAddresses, HostRoutes)!;

        Assert.Equal(["192.0.2.2/24", "fd00::2/64"], plan.Addresses.Select(a => $"{a.Address}/{a.PrefixLength}"));
        Assert.Equal(["0.0.0.0/0 via 192.0.2.1", "192.0.2.0/24", "fd00::/64", "fe80::/64", "::/0 via fd00::1"], plan.Routes.Select(Text));
    }

    [Fact]
    public void The_namespace_is_configured_only_once_every_step_of_config_net_shows()
    {
        PastaNamespacePlan plan = PastaNamespacePlan.Predict(HostAddresses, HostRoutes)!;
        LinkState[] links = [new(1, Loopback | UpLowerUp), new(Tap, UpLowerUp)];
        AddressState[] addresses =
        [
            new(V4, Tap, IPAddress.Parse("192.0.2.2"), 24, 0, 0x80),
            new(V6, Tap, IPAddress.Parse("fd00::2"), 64, 0, 0x02 | 0x80),
        ];
        RouteState[] routes =
        [
            Route(V4, null, 0, "192.0.2.1", Tap),
            Route(V4, "192.0.2.0", 24, null, Tap),
            Route(V6, "fd00::", 64, null, Tap),
            Route(V6, "fe80::", 64, null, Tap),
            Route(V6, null, 0, "fd00::1", Tap),
        ];

        Assert.True(plan.IsMetBy(links, addresses, routes));
        // Before the tap exists; loopback still down; the IPv6 default route (pasta's last step) missing.
        Assert.False(plan.IsMetBy([new(1, Loopback)], [], []));
        Assert.False(plan.IsMetBy([new(1, Loopback), new(Tap, UpLowerUp)], addresses, routes));
        Assert.False(plan.IsMetBy(links, addresses, routes[..^1]));
        // The IPv4 half done while new pastas still keep ARP and neighbour solicitation off for IPv6's sake.
        Assert.False(plan.IsMetBy([new(1, Loopback | UpLowerUp), new(Tap, UpLowerUp | NoArp)], addresses, routes));
        // The same route on another link, or in another table, is not the one pasta adds.
        Assert.False(plan.IsMetBy(links, addresses, [.. routes[..^1], Route(V6, null, 0, "fd00::1", 9)]));
        Assert.False(plan.IsMetBy(links, addresses, [.. routes[..^1], Route(V6, null, 0, "fd00::1", Tap, table: 100)]));
    }

    [Fact]
    public void A_family_without_any_routes_but_link_local_ones_is_left_out()
    {
        RouteState[] routes = [.. HostRoutes.Where(r => r.Family == V4), Route(V6, "fe80::", 64, null, HostLink)];

        PastaNamespacePlan plan = PastaNamespacePlan.Predict(HostAddresses, routes)!;

        Assert.Equal(["192.0.2.2/24"], plan.Addresses.Select(a => $"{a.Address}/{a.PrefixLength}"));
        Assert.All(plan.Routes, r => Assert.Equal(V4, r.Family));
    }

    [Fact]
    public void Where_pastas_choice_is_not_plain_nothing_is_predicted()
    {
        // No IPv6 default route but a global one: pasta may pick that link (its choice differs between versions).
        Assert.Null(PastaNamespacePlan.Predict(HostAddresses, [.. HostRoutes.Where(r => !(r.Family == V6 && r.PrefixLength == 0))]));
        // Default routes on two links, or a multipath route.
        Assert.Null(PastaNamespacePlan.Predict(HostAddresses, [.. HostRoutes, Route(V4, null, 0, "10.88.0.1", OtherHostLink)]));
        Assert.Null(PastaNamespacePlan.Predict(HostAddresses, [.. HostRoutes, new RouteState(V4, Main, Unicast, IPAddress.Parse("10.1.0.0"), 16, null, 0, Multipath: true)]));
        // The external link without an address of that family.
        Assert.Null(PastaNamespacePlan.Predict([.. HostAddresses.Where(a => a.Family == V4)], HostRoutes));
        // No routes at all.
        Assert.Null(PastaNamespacePlan.Predict(HostAddresses, []));
    }

    private static RouteState Route(byte family, string? destination, int prefix, string? gateway, int link, int table = Main, byte type = Unicast) =>
        new(family, table, type, destination is null ? null : IPAddress.Parse(destination), prefix, gateway is null ? null : IPAddress.Parse(gateway), link, Multipath: false);

    private static string Text(RouteState r) =>
        $"{r.Destination ?? (r.Family == V4 ? IPAddress.Any : IPAddress.IPv6Any)}/{r.PrefixLength}{(r.Gateway is null ? string.Empty : " via " + r.Gateway)}";
}

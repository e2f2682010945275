using System.Net;
using System.Text;
using Skiff.Core.Errors;
using Skiff.Core.Processes;
using Skiff.Rootless.Network.Netlink;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// Builds networks in the namespace that holds the bridges: the host's (root; <paramref name="bridgeNetns"/>
/// null) or the rootless network namespace, whose user namespace the caller runs in as root. Links, addresses
/// and routes go over rtnetlink (<see cref="RouteNetlink"/>, a socket opened by a thread in each namespace);
/// the network's nft table (<see cref="BridgeCommands.NftScript"/>) through nft(8), entered with nsenter.
/// </summary>
public sealed class BridgePlumbing(IProcessRunner runner, BridgeTools tools, string? bridgeNetns)
{
    private const string Hint = "root needs the bridge, veth and nf_tables kernel modules; 'skiff system check' says more";

    public void EnsureBridge(NetworkRecord network)
    {
        // A bridge left by a removed network of the same name may hold another subnet: it is replaced.
        string bridge = network.NetworkInterface;
        IPAddress gateway = IPAddress.Parse(IpSubnet<uint>.FormatAddress(network.Gateway));
        int prefix = network.Subnet.PrefixLength;
        IPAddress? gateway6 = network.Gateway6 is { } g6 ? IPAddress.Parse(IpSubnet<UInt128>.FormatAddress(g6)) : null;
        int prefix6 = network.Subnet6?.PrefixLength ?? 0;
        bool created = Guard($"create bridge {bridge}", () =>
        {
            using RouteNetlink netlink = BridgeNamespace();
            if (netlink.TryLinkIndex(bridge) is int existing)
            {
                if (netlink.GetAddresses(existing).Any(a => a.Address.Equals(gateway) && a.PrefixLength == prefix)
                    && (gateway6 is null || netlink.Addresses(RouteRequests.AF_INET6).Any(a => a.Index == existing && a.Address.Equals(gateway6) && a.PrefixLength == prefix6)))
                {
                    return false;
                }

                netlink.TryDeleteLink(bridge);
            }

            netlink.AddBridge(bridge);
            int index = netlink.LinkIndex(bridge);
            netlink.AddAddress(index, gateway, prefix);
            if (gateway6 is not null)
            {
                // Without duplicate address detection the gateway answers at once, not after a second or two.
                netlink.AddAddressWithoutDad(index, gateway6, prefix6);
            }

            netlink.SetUp(index);
            return true;
        });
        if (!created)
        {
            return;
        }

        try
        {
            Nft(BridgeCommands.NftScript(network), check: true);
        }
        catch (SkiffException)
        {
            // A bridge without its table would hold the subnet's route and make the next create pick another subnet.
            TryRemoveLink(bridge);
            throw;
        }
    }

    /// <summary>
    /// Connects the container's namespace to the endpoint's bridge: a veth pair whose container end is made in
    /// <paramref name="containerNetns"/> as the endpoint's interface (both ends with <paramref name="mtu"/> when
    /// given, else the kernel's 1500), then in there loopback, the address, and with <paramref name="defaultRoute"/>
    /// the default route through the gateway (<see cref="BridgeCommands.RoutesDefault"/>); on a dual-stack network
    /// the IPv6 address too and, with the default route, the IPv6 default route through the IPv6 gateway.
    /// </summary>
    public void Attach(NetworkEndpoint endpoint, string veth, string containerNetns, bool defaultRoute, int? mtu = null)
    {
        Guard($"connect {endpoint.InterfaceName} to {endpoint.Bridge}", () =>
        {
            using (RouteNetlink bridgeSide = BridgeNamespace())
            {
                bridgeSide.TryDeleteLink(veth);
                bridgeSide.AddVethPair(veth, endpoint.InterfaceName, containerNetns, mtu, endpoint.MacAddress is { } mac ? MacAddress.Bytes(mac) : null);
                bridgeSide.SetUp(bridgeSide.LinkIndex(veth), master: bridgeSide.LinkIndex(endpoint.Bridge));
            }

            using RouteNetlink container = RouteNetlink.OpenIn(containerNetns);
            container.SetUp(container.LinkIndex("lo"));
            int device = container.LinkIndex(endpoint.InterfaceName);
            container.AddAddress(device, IPAddress.Parse(endpoint.IPAddress), endpoint.PrefixLength);
            if (endpoint.Ipv6Address is { } address6)
            {
                container.AddAddressWithoutDad(device, IPAddress.Parse(address6), endpoint.Ipv6PrefixLength ?? 64);
            }

            container.SetUp(device);
            if (BridgeCommands.RoutesDefault(endpoint, defaultRoute))
            {
                container.AddRoute(new RouteEntry(null, 0, IPAddress.Parse(endpoint.Gateway), device));
                if (endpoint.Ipv6Gateway is { } gateway6)
                {
                    container.AddRoute(new RouteEntry(null, 0, IPAddress.Parse(gateway6), device));
                }
            }

            return true;
        });
    }

    /// <summary>Whether the container's namespace has a default route now (false when it cannot be read).</summary>
    public static bool HasDefaultRoute(string containerNetns)
    {
        try
        {
            using RouteNetlink container = RouteNetlink.OpenIn(containerNetns);
            return container.HasDefaultRoute();
        }
        catch (SkiffException)
        {
            return false;
        }
    }

    /// <summary>Routes the container's namespace through <paramref name="endpoint"/>'s gateway; best effort.</summary>
    public static void AddDefaultRoute(NetworkEndpoint endpoint, string containerNetns)
    {
        try
        {
            using RouteNetlink container = RouteNetlink.OpenIn(containerNetns);
            int device = container.LinkIndex(endpoint.InterfaceName);
            container.ReplaceRoute(new RouteEntry(null, 0, IPAddress.Parse(endpoint.Gateway), device));
            if (endpoint.Ipv6Gateway is { } gateway6)
            {
                container.ReplaceRoute(new RouteEntry(null, 0, IPAddress.Parse(gateway6), device));
            }
        }
        catch (SkiffException)
        {
        }
    }

    /// <summary>Removes the host-side veth (the kernel would, but only once the container's namespace is freed); never throws.</summary>
    public void Detach(string veth) => TryRemoveLink(veth);

    /// <summary>Removes the bridge and the network's nft table; never throws.</summary>
    public void RemoveBridge(NetworkRecord network)
    {
        try
        {
            TryRemoveLink(network.NetworkInterface);
            Nft(BridgeCommands.DeleteTableScript(network), check: false);
        }
        catch (SkiffException)
        {
        }
    }

    private void TryRemoveLink(string name)
    {
        try
        {
            using RouteNetlink netlink = BridgeNamespace();
            netlink.TryDeleteLink(name);
        }
        catch (SkiffException)
        {
        }
    }

    private RouteNetlink BridgeNamespace() => bridgeNetns is null ? RouteNetlink.Open() : RouteNetlink.OpenIn(bridgeNetns);

    private static T Guard<T>(string what, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (SystemCallException e)
        {
            throw SkiffException.Unavailable($"could not set up the network ({what}): {e.Message}", Hint, e);
        }
    }

    private void Nft(string script, bool check)
    {
        ExternalCommand command = bridgeNetns is null
            ? new ExternalCommand(tools.Nft, ["-f", "-"])
            : new ExternalCommand(tools.Nsenter, ["--net=" + bridgeNetns, "--", tools.Nft, "-f", "-"]);
        ExternalResult result = runner.TryRunAsync(command with
        {
            StandardInput = Encoding.UTF8.GetBytes(script),
            Timeout = TimeSpan.FromSeconds(10),
        }).GetAwaiter().GetResult();
        if (check && result.ExitCode != 0)
        {
            throw SkiffException.Unavailable($"could not set up the network (nft -f -): {result.StandardError.Trim()}", Hint);
        }
    }
}

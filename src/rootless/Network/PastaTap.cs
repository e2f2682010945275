using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Rootless.Network.Netlink;
using Skiff.Runtime.Namespaces;

namespace Skiff.Rootless.Network;

/// <summary>
/// The namespace pasta's <c>--config-net</c> makes (<see cref="PastaNamespacePlan"/>), made by skiff before pasta
/// runs: a tap device named after the host's interface, pasta's MTU, that interface's addresses (IPv6 without
/// duplicate address detection, as pasta adds them) and routes, the loopback up. pasta then gets the open tap
/// (<c>--fd</c>) instead of making and configuring one, so nothing waits for pasta's start-up (its buffers' page
/// faults, ~90 ms of CPU on a paravirtualised machine) before the container's first process runs: what that
/// process sends meanwhile waits in the tap's queue until pasta reads it.
/// </summary>
public static class PastaTap
{
    /// <summary>pasta's MTU for its tap.</summary>
    public const int Mtu = 65520;

    /// <summary>
    /// Makes and configures the tap in the namespace bound at <paramref name="netnsPath"/> and returns its only
    /// descriptor (the device goes when it is closed); null when pasta's configuration cannot be predicted, or is
    /// on two host interfaces, or the kernel refused a step: then pasta configures the namespace itself.
    /// </summary>
    public static SafeFileHandle? TryCreate(string netnsPath)
    {
        try
        {
            PastaNamespacePlan? plan;
            string? name;
            using (RouteNetlink host = RouteNetlink.Open())
            {
                plan = PastaNamespacePlan.Predict(
                    [.. host.Addresses(RouteRequests.AF_INET), .. host.Addresses(RouteRequests.AF_INET6)],
                    [.. host.Routes(RouteRequests.AF_INET), .. host.Routes(RouteRequests.AF_INET6)]);
                int[] links = plan is null ? [] : [.. plan.Routes.Select(r => r.OutputInterface).Concat(plan.Addresses.Select(a => a.Index)).Distinct()];
                name = links.Length == 1 ? host.TryLinkName(links[0]) : null;
            }

            return plan is null || name is null ? null : ThreadNetworkNamespace.RunIn(netnsPath, () => Configure(plan, name));
        }
        catch (Exception e) when (e is SystemCallException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>On a thread in the container's namespace.</summary>
    private static SafeFileHandle Configure(PastaNamespacePlan plan, string name)
    {
        SafeFileHandle tap = TapDevice.Create(name);
        try
        {
            using RouteNetlink netns = RouteNetlink.Open();
            netns.SetUp(netns.LinkIndex("lo"));
            int index = netns.LinkIndex(name);
            netns.SetUpWithMtu(index, Mtu);
            foreach (AddressState address in plan.Addresses)
            {
                if (address.Family == RouteRequests.AF_INET6)
                {
                    netns.AddAddressWithoutDad(index, address.Address, address.PrefixLength);
                }
                else
                {
                    netns.AddAddress(index, address.Address, address.PrefixLength);
                }
            }

            // Link routes first: a gateway must be reachable when its route is added.
            foreach (RouteState route in plan.Routes.OrderBy(r => r.Gateway is null ? 0 : 1))
            {
                if ((route.Gateway ?? route.Destination) is null || route.Destination is { AddressFamily: AddressFamily.InterNetworkV6, IsIPv6LinkLocal: true })
                {
                    // A default route without a gateway, or the link-local prefix the kernel gives the link itself.
                    continue;
                }

                try
                {
                    netns.AddRoute(new RouteEntry(route.Destination, route.PrefixLength, route.Gateway, index, Metric: route.Metric));
                }
                catch (SystemCallException e) when (e.Errno == Errnos.EEXIST)
                {
                    // The prefix route an address brought along.
                }
            }

            return tap;
        }
        catch
        {
            tap.Dispose();
            throw;
        }
    }
}

using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// Gives a new container its address on a network (and its IPv6 address on a dual-stack one). The addresses in use are those of the stored containers
/// on that network, so removing a container frees its address with no separate lease to go stale; the caller
/// holds <see cref="NetworkStore.Lock"/> until the new container is stored.
/// </summary>
public sealed class EndpointAllocator(NetworkStore networks, ContainerStore containers)
{
    /// <param name="nameOrId">The network.</param>
    /// <param name="aliases">More names for the container on it.</param>
    /// <param name="requested">A static address (<c>--ip</c>), which must be a free host address of the subnet.</param>
    /// <param name="requested6">A static IPv6 address (<c>--ip6</c>), which must be a free host address of the IPv6 subnet.</param>
    /// <param name="except">A container whose address does not count as used (the one being connected).</param>
    /// <param name="interfaceName">The container's interface on the network (eth0 for its first).</param>
    public NetworkEndpoint Allocate(string nameOrId, IReadOnlyList<string> aliases, string? requested = null, string? except = null, string interfaceName = "eth0", string? requested6 = null)
    {
        NetworkRecord network = networks.Find(nameOrId);
        foreach (string alias in aliases)
        {
            if (!NetworkNames.IsValid(alias))
            {
                throw SkiffException.InvalidArgument($"invalid network alias \"{alias}\"", "aliases are host names: letters, digits, '.', '_' and '-'");
            }
        }

        var used = new List<uint>();
        var used6 = new List<UInt128>();
        foreach (string id in containers.ListIds().Where(id => id != except))
        {
            try
            {
                foreach (NetworkEndpoint endpoint in containers.ReadConfig(id).NetworkEndpoints)
                {
                    if (endpoint.NetworkId == network.Id && Ipv4Subnet.TryParseAddress(endpoint.IPAddress, out uint address))
                    {
                        used.Add(address);
                    }

                    if (endpoint.NetworkId == network.Id && endpoint.Ipv6Address is { } text && Ipv6Subnet.TryParseAddress(text, out UInt128 address6))
                    {
                        used6.Add(address6);
                    }
                }
            }
            catch (Exception e) when (e is IOException or SkiffException)
            {
                // A container being removed meanwhile holds no address.
            }
        }

        Ipv4Subnet subnet = network.Subnet;
        uint chosen = requested is null ? AddressAllocator.Next(subnet, network.Gateway, used, network.Range) : Requested(requested, subnet, network, used);
        UInt128? chosen6 = network.Subnet6 is Ipv6Subnet subnet6 && network.Gateway6 is UInt128 gateway6
            ? requested6 is null ? AddressAllocator.Next(subnet6, gateway6, used6, network.Range6) : Requested6(requested6, subnet6, gateway6, network, used6)
            : requested6 is null ? null
            : throw SkiffException.InvalidArgument($"requested static ip {requested6} not in any subnet on network {network.Name}", $"network {network.Name} has no IPv6 subnet: give --ip6 only on a network created with --ipv6");
        return new NetworkEndpoint
        {
            Network = network.Name,
            NetworkId = network.Id,
            IPAddress = Ipv4Subnet.FormatAddress(chosen),
            PrefixLength = subnet.PrefixLength,
            Gateway = Ipv4Subnet.FormatAddress(network.Gateway),
            Aliases = aliases,
            Bridge = network.NetworkInterface,
            Internal = network.Internal,
            DnsEnabled = network.DnsEnabled,
            Interface = interfaceName,
            Ipv6Address = chosen6 is UInt128 v6 ? Ipv6Subnet.FormatAddress(v6) : null,
            Ipv6PrefixLength = chosen6 is null ? null : network.Subnet6?.PrefixLength,
            Ipv6Gateway = network.Gateway6 is UInt128 g6 ? Ipv6Subnet.FormatAddress(g6) : null,
        };
    }

    private static uint Requested(string text, Ipv4Subnet subnet, NetworkRecord network, IReadOnlyCollection<uint> used)
    {
        if (!Ipv4Subnet.TryParseAddress(text, out uint address))
        {
            throw SkiffException.InvalidArgument($"{text} is not an IPv4 address", "give --ip an address of the network's subnet, e.g. " + Ipv4Subnet.FormatAddress(subnet.FirstHost + 1));
        }

        return Free(text, address, subnet.Contains(address) && address != subnet.Network && address != subnet.Broadcast, network.Gateway, used, network.Name, subnet.ToString(), "--ip");
    }

    private static UInt128 Requested6(string text, Ipv6Subnet subnet, UInt128 gateway, NetworkRecord network, IReadOnlyCollection<UInt128> used)
    {
        if (!Ipv6Subnet.TryParseAddress(text, out UInt128 address))
        {
            throw SkiffException.InvalidArgument($"{text} is not an IPv6 address", "give --ip6 an address of the network's IPv6 subnet, e.g. " + Ipv6Subnet.FormatAddress(subnet.FirstHost + 1));
        }

        return Free(text, address, subnet.Contains(address) && address != subnet.Network && address != subnet.Last, gateway, used, network.Name, subnet.ToString(), "--ip6");
    }

    /// <summary>A requested address that is a host address of its subnet (<paramref name="host"/>) and neither the gateway nor in use (podman's messages).</summary>
    private static T Free<T>(string text, T address, bool host, T gateway, IReadOnlyCollection<T> used, string network, string subnet, string flag)
        where T : IEquatable<T>
    {
        if (!host)
        {
            throw SkiffException.InvalidArgument($"requested static ip {text} not in any subnet on network {network}", $"choose an address in {subnet}");
        }

        if (address.Equals(gateway) || used.Contains(address))
        {
            throw SkiffException.AlreadyExists($"requested ip address {text} is already allocated to another container on network {network}", $"choose another address, or leave {flag} out");
        }

        return address;
    }
}

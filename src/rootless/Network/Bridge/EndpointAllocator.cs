using System.Numerics;
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
    /// <param name="request">What the container asks for: aliases, static addresses, its Ethernet address.</param>
    /// <param name="interfaceName">The container's interface on the network when the request names none (eth0 for its first).</param>
    /// <param name="except">A container whose address does not count as used (the one being connected).</param>
    public NetworkEndpoint Allocate(string nameOrId, EndpointRequest request, string interfaceName, string? except = null)
    {
        NetworkRecord network = networks.Find(nameOrId);
        foreach (string alias in request.Aliases)
        {
            if (!NetworkNames.IsValid(alias))
            {
                throw SkiffException.InvalidArgument($"invalid network alias \"{alias}\"", "aliases are host names: letters, digits, '.', '_' and '-'");
            }
        }

        var used = new List<uint>();
        var used6 = new List<UInt128>();
        var usedMacs = new HashSet<string>(StringComparer.Ordinal);
        foreach (string id in containers.ListIds().Where(id => id != except))
        {
            try
            {
                foreach (NetworkEndpoint endpoint in containers.ReadConfig(id).NetworkEndpoints.Where(e => e.NetworkId == network.Id))
                {
                    AddAddress(endpoint.IPAddress, used);
                    AddAddress(endpoint.Ipv6Address, used6);
                    if (endpoint.MacAddress is { } mac)
                    {
                        usedMacs.Add(mac);
                    }
                }
            }
            catch (Exception e) when (e is IOException or SkiffException)
            {
                // A container being removed meanwhile holds no address.
            }
        }

        if (request.MacAddress is { } requestedMac && usedMacs.Contains(requestedMac))
        {
            // Two interfaces with one address on a bridge would each get part of the other's frames.
            throw SkiffException.AlreadyExists($"requested MAC address {requestedMac} is already used by another container on network {network.Name}", "choose another address, or leave --mac-address out");
        }

        IpSubnet<uint> subnet = network.Subnet;
        uint chosen = Choose(subnet, network.Gateway, network.Range, used, request.Address, network.Name, "--ip");
        UInt128? chosen6 = network.Subnet6 is { } subnet6 && network.Gateway6 is { } gateway6
            ? Choose(subnet6, gateway6, network.Range6, used6, request.Address6, network.Name, "--ip6")
            : request.Address6 is null ? null
            : throw SkiffException.InvalidArgument($"requested static ip {request.Address6} not in any subnet on network {network.Name}", $"network {network.Name} has no IPv6 subnet: give --ip6 only on a network created with --ipv6");
        return new NetworkEndpoint
        {
            Network = network.Name,
            NetworkId = network.Id,
            IPAddress = IpSubnet<uint>.FormatAddress(chosen),
            PrefixLength = subnet.PrefixLength,
            Gateway = IpSubnet<uint>.FormatAddress(network.Gateway),
            Aliases = request.Aliases,
            Bridge = network.NetworkInterface,
            Internal = network.Internal,
            DnsEnabled = network.DnsEnabled,
            Interface = request.InterfaceName ?? interfaceName,
            MacAddress = request.MacAddress ?? MacAddress.Random(),
            Ipv6Address = chosen6 is { } v6 ? IpSubnet<UInt128>.FormatAddress(v6) : null,
            Ipv6PrefixLength = chosen6 is null ? null : network.Subnet6?.PrefixLength,
            Ipv6Gateway = network.Gateway6 is { } g6 ? IpSubnet<UInt128>.FormatAddress(g6) : null,
        };
    }

    private static void AddAddress<T>(string? text, List<T> used)
        where T : struct, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T>
    {
        if (text is not null && IpSubnet<T>.TryParseAddress(text, out T address))
        {
            used.Add(address);
        }
    }

    /// <summary>
    /// The next free address of the lease range, or the <paramref name="requested"/> one (<paramref name="flag"/>) when it is
    /// a host address of the subnet and neither the gateway nor in use (podman's messages).
    /// </summary>
    private static T Choose<T>(IpSubnet<T> subnet, T gateway, (T First, T Last)? range, List<T> used, string? requested, string network, string flag)
        where T : struct, IBinaryInteger<T>, IUnsignedNumber<T>, IMinMaxValue<T>
    {
        if (requested is null)
        {
            return AddressAllocator.Next(subnet, gateway, used, range);
        }

        IpFamily family = IpFamily.Of<T>();
        if (!IpSubnet<T>.TryParseAddress(requested, out T address))
        {
            // Every network has an IPv4 subnet, so the IPv4 one is just "the network's subnet".
            string which = family == IpFamily.V4 ? "subnet" : $"{family.Name} subnet";
            throw SkiffException.InvalidArgument($"{requested} is not an {family.Name} address", $"give {flag} an address of the network's {which}, e.g. {IpSubnet<T>.FormatAddress(subnet.FirstHost + T.One)}");
        }

        if (!subnet.IsHost(address))
        {
            throw SkiffException.InvalidArgument($"requested static ip {requested} not in any subnet on network {network}", $"choose an address in {subnet}");
        }

        if (address == gateway || used.Contains(address))
        {
            throw SkiffException.AlreadyExists($"requested ip address {requested} is already allocated to another container on network {network}", $"choose another address, or leave {flag} out");
        }

        return address;
    }
}

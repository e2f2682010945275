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
                foreach (NetworkEndpoint endpoint in containers.ReadConfig(id).NetworkEndpoints.Where(e => e.NetworkId == network.Id))
                {
                    AddAddress(endpoint.IPAddress, used);
                    AddAddress(endpoint.Ipv6Address, used6);
                }
            }
            catch (Exception e) when (e is IOException or SkiffException)
            {
                // A container being removed meanwhile holds no address.
            }
        }

        IpSubnet<uint> subnet = network.Subnet;
        uint chosen = Choose(subnet, network.Gateway, network.Range, used, requested, network.Name, "--ip");
        UInt128? chosen6 = network.Subnet6 is { } subnet6 && network.Gateway6 is { } gateway6
            ? Choose(subnet6, gateway6, network.Range6, used6, requested6, network.Name, "--ip6")
            : requested6 is null ? null
            : throw SkiffException.InvalidArgument($"requested static ip {requested6} not in any subnet on network {network.Name}", $"network {network.Name} has no IPv6 subnet: give --ip6 only on a network created with --ipv6");
        return new NetworkEndpoint
        {
            Network = network.Name,
            NetworkId = network.Id,
            IPAddress = IpSubnet<uint>.FormatAddress(chosen),
            PrefixLength = subnet.PrefixLength,
            Gateway = IpSubnet<uint>.FormatAddress(network.Gateway),
            Aliases = aliases,
            Bridge = network.NetworkInterface,
            Internal = network.Internal,
            DnsEnabled = network.DnsEnabled,
            Interface = interfaceName,
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

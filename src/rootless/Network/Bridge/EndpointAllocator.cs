using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// Gives a new container its address on a network. The addresses in use are those of the stored containers
/// on that network, so removing a container frees its address with no separate lease to go stale; the caller
/// holds <see cref="NetworkStore.Lock"/> until the new container is stored.
/// </summary>
public sealed class EndpointAllocator(NetworkStore networks, ContainerStore containers)
{
    public NetworkEndpoint Allocate(string nameOrId, IReadOnlyList<string> aliases)
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
        foreach (string id in containers.ListIds())
        {
            try
            {
                if (containers.ReadConfig(id).NetworkEndpoint is { } endpoint && endpoint.NetworkId == network.Id
                    && Ipv4Subnet.TryParseAddress(endpoint.IPAddress, out uint address))
                {
                    used.Add(address);
                }
            }
            catch (Exception e) when (e is IOException or SkiffException)
            {
                // A container being removed meanwhile holds no address.
            }
        }

        Ipv4Subnet subnet = network.Subnet;
        uint chosen = AddressAllocator.Next(subnet, network.Gateway, used);
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
        };
    }
}

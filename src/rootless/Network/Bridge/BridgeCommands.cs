using System.Globalization;
using System.Text;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// The ip(8) batches and nft(8) scripts that build a network: a bridge holding the gateway address, a veth
/// pair per container (the peer moved into the container's namespace as eth0), and, unless the network is
/// internal, masquerading of the subnet's traffic to the rest of the world. One table per network, so
/// removing the network removes exactly its rules.
/// </summary>
public static class BridgeCommands
{
    public static string TableName(NetworkRecord network) => "skiff_" + network.NetworkInterface;

    /// <summary>
    /// The host-side veth of a container's interface: unique per container and interface, within IFNAMSIZ (15).
    /// eth0 keeps the name it had when a container had one interface, so a monitor of that version's container
    /// still finds it; the others carry an 'n', which no hex id has.
    /// </summary>
    public static string VethName(string containerId, string containerInterface = "eth0") =>
        containerInterface == "eth0" ? "veth" + containerId[..10] : "veth" + containerId[..8] + "n" + containerInterface["eth".Length..];

    public static string BridgeBatch(NetworkRecord network)
    {
        Ipv4Subnet subnet = network.Subnet;
        string bridge = network.NetworkInterface;
        return $"link add {bridge} type bridge\n" +
            $"addr add {Ipv4Subnet.FormatAddress(network.Gateway)}/{subnet.PrefixLength.ToString(CultureInfo.InvariantCulture)} dev {bridge}\n" +
            $"link set {bridge} up\n";
    }

    /// <summary>Replaces the network's table: masquerade what leaves the subnet; an internal network only forwards within its bridge.</summary>
    public static string NftScript(NetworkRecord network)
    {
        string table = TableName(network);
        string subnet = network.Subnet.ToString();
        string bridge = network.NetworkInterface;
        var script = new StringBuilder();
        // "add" then "delete" makes the delete succeed whether or not the table existed.
        script.Append($"add table ip {table}\ndelete table ip {table}\n");
        script.Append($"table ip {table} {{\n");
        if (network.Internal)
        {
            script.Append($"  chain forward {{\n    type filter hook forward priority filter; policy accept;\n    iifname \"{bridge}\" oifname != \"{bridge}\" drop\n    oifname \"{bridge}\" iifname != \"{bridge}\" drop\n  }}\n");
        }
        else
        {
            script.Append($"  chain postrouting {{\n    type nat hook postrouting priority srcnat; policy accept;\n    ip saddr {subnet} ip daddr != {subnet} masquerade\n  }}\n");
            script.Append($"  chain forward {{\n    type filter hook forward priority filter; policy accept;\n    iifname \"{bridge}\" accept\n    oifname \"{bridge}\" ct state related,established accept\n  }}\n");
        }

        script.Append("}\n");
        return script.ToString();
    }

    public static string DeleteTableScript(NetworkRecord network)
    {
        string table = TableName(network);
        return $"add table ip {table}\ndelete table ip {table}\n";
    }

    /// <summary>
    /// Run in the bridge's namespace: the veth pair, its container end moved into <paramref name="containerNetns"/> as
    /// the endpoint's interface, both ends with <paramref name="mtu"/> when given (else the kernel's 1500).
    /// </summary>
    public static string VethBatch(NetworkEndpoint endpoint, string veth, string containerNetns, int? mtu = null)
    {
        string size = mtu is int m ? " mtu " + m.ToString(CultureInfo.InvariantCulture) : string.Empty;
        return $"link add {veth}{size} type veth peer name {endpoint.InterfaceName}{size} netns {containerNetns}\n" +
            $"link set {veth} master {endpoint.Bridge} up\n";
    }

    /// <summary>
    /// Run in the container's namespace: loopback, the address, and with <paramref name="defaultRoute"/> the default
    /// route through the gateway (the container's first network that is not internal has it).
    /// </summary>
    public static string ContainerBatch(NetworkEndpoint endpoint, bool defaultRoute)
    {
        string device = endpoint.InterfaceName;
        var batch = new StringBuilder();
        batch.Append("link set lo up\n");
        batch.Append($"addr add {endpoint.IPAddress}/{endpoint.PrefixLength.ToString(CultureInfo.InvariantCulture)} dev {device}\n");
        batch.Append($"link set {device} up\n");
        if (defaultRoute && !endpoint.Internal)
        {
            batch.Append($"route add default via {endpoint.Gateway} dev {device}\n");
        }

        return batch.ToString();
    }

    /// <summary>The endpoint of <paramref name="endpoints"/> that carries the default route: the first that is not internal, or none.</summary>
    public static NetworkEndpoint? DefaultRouteEndpoint(IEnumerable<NetworkEndpoint> endpoints) => endpoints.FirstOrDefault(e => !e.Internal);
}

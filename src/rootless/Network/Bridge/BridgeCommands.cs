using System.Text;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// The names and nft(8) scripts of a network (<see cref="BridgePlumbing"/> builds it): a bridge holding the
/// gateway address, a veth pair per container (the peer made in the container's namespace as eth0), and,
/// unless the network is internal, masquerading of the subnet's traffic to the rest of the world. One table
/// per network, so removing the network removes exactly its rules.
/// </summary>
public static class BridgeCommands
{
    public static string TableName(NetworkRecord network) => "skiff_" + network.NetworkInterface;

    /// <summary>
    /// The host-side veth of a container's interface: unique per container and interface, within IFNAMSIZ (15).
    /// eth0 keeps the name it had when a container had one interface, so a monitor of that version's container
    /// still finds it; the other ethN carry an 'n', which no hex id has; a name given with interface_name= carries
    /// an 'i' and a hash of the name.
    /// </summary>
    public static string VethName(string containerId, string containerInterface = "eth0")
    {
        if (containerInterface == "eth0")
        {
            return "veth" + containerId[..10];
        }

        string number = containerInterface.StartsWith("eth", StringComparison.Ordinal) ? containerInterface["eth".Length..] : string.Empty;
        if (number.Length is > 0 and <= 3 && number.All(char.IsAsciiDigit))
        {
            return "veth" + containerId[..8] + "n" + number;
        }

        // FNV-1a: stable across versions and processes (string.GetHashCode is not).
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(containerInterface))
        {
            hash = (hash ^ b) * 16777619;
        }

        return "veth" + containerId[..7] + "i" + (hash & 0xfff).ToString("x3", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Replaces the network's table: masquerade what leaves the subnet; an internal network only forwards within
    /// its bridge. A dual-stack network has the same rules for its IPv6 subnet in an ip6 table of the same name.
    /// </summary>
    public static string NftScript(NetworkRecord network)
    {
        var script = new StringBuilder();
        AppendTable(script, network, "ip", network.Subnet.ToString());
        if (network.Subnet6 is { } subnet6)
        {
            AppendTable(script, network, "ip6", subnet6.ToString());
        }

        return script.ToString();
    }

    public static string DeleteTableScript(NetworkRecord network)
    {
        string table = TableName(network);
        string script = $"add table ip {table}\ndelete table ip {table}\n";
        return network.Subnet6 is null ? script : script + $"add table ip6 {table}\ndelete table ip6 {table}\n";
    }

    /// <param name="family">nft's family, which is also the keyword of its address matches: ip or ip6.</param>
    private static void AppendTable(StringBuilder script, NetworkRecord network, string family, string subnet)
    {
        string table = TableName(network);
        string bridge = network.NetworkInterface;
        // "add" then "delete" makes the delete succeed whether or not the table existed.
        script.Append($"add table {family} {table}\ndelete table {family} {table}\n");
        script.Append($"table {family} {table} {{\n");
        if (network.Internal)
        {
            script.Append($"  chain forward {{\n    type filter hook forward priority filter; policy accept;\n    iifname \"{bridge}\" oifname != \"{bridge}\" drop\n    oifname \"{bridge}\" iifname != \"{bridge}\" drop\n  }}\n");
        }
        else
        {
            script.Append($"  chain postrouting {{\n    type nat hook postrouting priority srcnat; policy accept;\n    {family} saddr {subnet} {family} daddr != {subnet} masquerade\n  }}\n");
            script.Append($"  chain forward {{\n    type filter hook forward priority filter; policy accept;\n    iifname \"{bridge}\" accept\n    oifname \"{bridge}\" ct state related,established accept\n  }}\n");
        }

        script.Append("}\n");
    }

    /// <summary>
    /// Whether the endpoint's interface gets the container's default route through its gateway: when asked
    /// (<paramref name="defaultRoute"/>, the container's first network that is not internal has it) and the
    /// network is not internal.
    /// </summary>
    public static bool RoutesDefault(NetworkEndpoint endpoint, bool defaultRoute) => defaultRoute && !endpoint.Internal;

    /// <summary>The endpoint of <paramref name="endpoints"/> that carries the default route: the first that is not internal, or none.</summary>
    public static NetworkEndpoint? DefaultRouteEndpoint(IEnumerable<NetworkEndpoint> endpoints) => endpoints.FirstOrDefault(e => !e.Internal);
}

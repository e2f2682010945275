using Skiff.Cli.Output;
using Skiff.Rootless.Network.Bridge;

namespace Skiff.Cli.Commands.Networks;

/// <summary>A network as podman prints it: snake_case keys for inspect (its network file), Go field names for ls.</summary>
public static class NetworkView
{
    public const string TypeName = "types.Network";

    public const string ListTypeName = "network.ListPrintReports";

    public const string DefaultTable = "table {{.ID}}\t{{.Name}}\t{{.Driver}}";

    public static readonly IReadOnlyDictionary<string, string> Titles = new Dictionary<string, string>
    {
        ["ID"] = "NETWORK ID",
    };

    public static readonly string[] ListFields = ["ID", "Name", "Driver", "NetworkInterface", "Created", "Subnets", "IPv6Enabled", "Internal", "DNSEnabled", "Labels"];

    public static TemplateObject Inspect(NetworkRecord record)
    {
        TemplateObject view = InspectFields(record);
        if (record.NetworkDnsServers is { } servers)
        {
            // podman's file has the key only when --dns was given.
            view["network_dns_servers"] = servers.Select(s => (object?)s).ToList();
        }

        return view;
    }

    private static TemplateObject InspectFields(NetworkRecord record) => new(TypeName)
    {
        ["name"] = record.Name,
        ["id"] = record.Id,
        ["driver"] = record.Driver,
        ["network_interface"] = record.NetworkInterface,
        ["created"] = record.Created,
        ["subnets"] = record.Subnets.Select(s => (object?)SubnetFields(s)).ToList(),
        ["ipv6_enabled"] = record.Ipv6Enabled,
        ["internal"] = record.Internal,
        ["dns_enabled"] = record.DnsEnabled,
        ["labels"] = TemplateMap.OfStrings(record.Labels),
        ["ipam_options"] = TemplateMap.OfStrings(record.IpamOptions),
    };

    /// <summary>A subnet as podman's file has it: <c>lease_range</c> only when the network has one.</summary>
    private static TemplateObject SubnetFields(NetworkSubnet subnet)
    {
        var fields = new TemplateObject("types.Subnet") { ["subnet"] = subnet.Subnet, ["gateway"] = subnet.Gateway };
        if (subnet.LeaseRange is { } range)
        {
            fields["lease_range"] = new TemplateObject("types.LeaseRange") { ["start_ip"] = range.StartIp, ["end_ip"] = range.EndIp };
        }

        return fields;
    }

    /// <summary>The same network with podman's Go field names, which --format templates use (<c>{{.NetworkInterface}}</c>).</summary>
    public static TemplateObject Template(NetworkRecord record) => new(TypeName)
    {
        ["Name"] = record.Name,
        ["ID"] = record.Id,
        ["Driver"] = record.Driver,
        ["NetworkInterface"] = record.NetworkInterface,
        ["Created"] = record.Created,
        ["Subnets"] = record.Subnets.Select(s => (object?)new TemplateObject("types.Subnet")
        {
            ["Subnet"] = s.Subnet,
            ["Gateway"] = s.Gateway,
            ["LeaseRange"] = s.LeaseRange is { } range ? new TemplateObject("types.LeaseRange") { ["StartIP"] = range.StartIp, ["EndIP"] = range.EndIp } : null,
        }).ToList(),
        ["IPv6Enabled"] = record.Ipv6Enabled,
        ["Internal"] = record.Internal,
        ["DNSEnabled"] = record.DnsEnabled,
        ["NetworkDNSServers"] = (record.NetworkDnsServers ?? []).Select(s => (object?)s).ToList(),
        ["Labels"] = TemplateMap.OfStrings(record.Labels),
        ["IPAMOptions"] = TemplateMap.OfStrings(record.IpamOptions),
    };

    public static TemplateObject Row(NetworkRecord record, bool noTrunc) => new(ListTypeName)
    {
        ["ID"] = noTrunc ? record.Id : record.Id[..12],
        ["Name"] = record.Name,
        ["Driver"] = record.Driver,
        ["NetworkInterface"] = record.NetworkInterface,
        ["Created"] = record.Created,
        ["Subnets"] = string.Join(",", record.Subnets.Select(s => s.Subnet)),
        ["IPv6Enabled"] = record.Ipv6Enabled,
        ["Internal"] = record.Internal,
        ["DNSEnabled"] = record.DnsEnabled,
        ["Labels"] = string.Join(",", record.Labels.Select(l => l.Value.Length > 0 ? $"{l.Key}={l.Value}" : l.Key)),
    };
}

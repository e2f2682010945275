using System.CommandLine;
using System.Security.Cryptography;
using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Flags;
using Skiff.Core.Errors;
using Skiff.Core.Processes;
using Skiff.Rootless.Network.Bridge;

namespace Skiff.Cli.Commands.Networks;

/// <summary>
/// <c>skiff network create [--ipv6] [--subnet CIDR]... [--gateway IP]... [--ip-range CIDR]... [--internal] [--disable-dns] [--dns IP] [--label K=V] [NAME]</c>:
/// stores the network and prints its name. A network always has one IPv4 subnet; with <c>--ipv6</c> (or an IPv6
/// <c>--subnet</c>) it has one IPv6 subnet too, a random unique local /64 unless given (podman's choice). As root the bridge (and its nft table) is created at once, under a machine-wide
/// lock (<see cref="HostNetworkLock"/>): the name and subnet avoid the host's links and routes, so the bridge
/// keeps another store's next network from taking them. Rootless, the bridge appears in the rootless network
/// namespace when the first container connects (as podman).
/// </summary>
public static class NetworkCreateCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var name = new Argument<string?>("name") { Arity = ArgumentArity.ZeroOrOne, Description = "Name of the network (skiffN when omitted)" };
        var driver = new Option<string>("--driver", "-d") { Description = "Driver to manage the network (only bridge)", DefaultValueFactory = _ => "bridge" };
        var subnet = new Option<string[]>("--subnet") { Description = "Subnet in CIDR format, once per IP family (default: the next free /24 of 10.89.0.0/16, and with --ipv6 a random fd00::/8 /64)" };
        var gateway = new Option<string[]>("--gateway") { Description = "Gateway for the subnet of its IP family (default: the subnet's first address)" };
        var ipRange = new Option<string[]>("--ip-range") { Description = "Allocate container IP from a range (CIDR inside the given --subnet of its IP family, once per family)" };
        var ipv6 = new Option<bool>("--ipv6") { Description = "Enable IPv6 (dual stack): the network gets an IPv6 subnet too" };
        var isInternal = new Option<bool>("--internal") { Description = "Restrict external access from this network" };
        var label = new Option<string[]>("--label") { Description = "Set metadata on a network (KEY=VALUE)" };
        var ignore = new Option<bool>("--ignore") { Description = "Do not fail if the network already exists" };
        var disableDns = new Option<bool>("--disable-dns") { Description = "Disable the network's DNS server (container names then resolve only through /etc/hosts)" };
        var dns = new Option<string[]>("--dns") { Description = "DNS server the network's DNS server forwards other names to (default: the host's)" };
        var command = new Command("create", "Create a network") { name, driver, subnet, gateway, ipRange, ipv6, isInternal, label, ignore, disableDns, dns };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            if ((parse.GetValue(driver) ?? "bridge") != "bridge")
            {
                throw SkiffException.InvalidArgument($"unsupported driver {parse.GetValue(driver)}: invalid argument", "skiff has only the bridge driver");
            }

            NetworkStore networks = ContainerServices.Networks(context);
            using (context.User.Rootless ? null : HostNetworkLock.Acquire())
            using (networks.Lock())
            {
                string? given = parse.GetValue(name);
                if (given is not null && parse.GetValue(ignore) && networks.TryFind(given) is { } existing && existing.Name == given)
                {
                    context.Out.WriteLine(existing.Name);
                    return ExitCodes.Success;
                }

                string interfaceName = networks.NextInterfaceName();
                string networkName = NetworkNames.Validate(given ?? interfaceName);
                if (networks.TryFind(networkName) is { } clash && clash.Name == networkName)
                {
                    throw SkiffException.AlreadyExists($"network name {networkName} already used: network already exists", "choose another name, or remove the existing network first");
                }

                IReadOnlyList<NetworkRecord> all = networks.List();
                (string? subnet4, string? subnet6) = OnePerFamily(parse.GetValue(subnet) ?? [], "--subnet", "subnet");
                (string? gateway4, string? gateway6) = OnePerFamily(parse.GetValue(gateway) ?? [], "--gateway", "gateway");
                (string? range4, string? range6) = OnePerFamily(parse.GetValue(ipRange) ?? [], "--ip-range", "ip range");
                if ((range4 is not null && subnet4 is null) || (range6 is not null && subnet6 is null))
                {
                    throw SkiffException.InvalidArgument("cannot set gateway or range without subnet", "give --ip-range together with the --subnet of its IP family");
                }

                IEnumerable<IpSubnet<uint>> used4 = all.Select(n => n.Subnet).Concat(HostRoutes.Read());
                var subnets = new List<NetworkSubnet> { NetworkSubnetChooser.Choose(subnet4, gateway4, range4, used4, SubnetAllocator.Next) };
                bool dualStack = parse.GetValue(ipv6) || subnet6 is not null;
                if (dualStack)
                {
                    IEnumerable<IpSubnet<UInt128>> used6 = all.Select(n => n.Subnet6).OfType<IpSubnet<UInt128>>().Concat(HostRoutes.ReadIpv6());
                    subnets.Add(NetworkSubnetChooser.Choose(subnet6, gateway6, range6, used6, used => Ipv6SubnetAllocator.Next(used)));
                }
                else if (gateway6 is not null)
                {
                    throw SkiffException.InvalidArgument($"gateway {gateway6} is an IPv6 address but the network has no IPv6 subnet", "add --ipv6, or an IPv6 --subnet");
                }

                var record = new NetworkRecord
                {
                    Name = networkName,
                    Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
                    NetworkInterface = interfaceName,
                    Created = DateTimeOffset.Now,
                    Subnets = subnets,
                    Ipv6Enabled = dualStack,
                    Internal = parse.GetValue(isInternal),
                    Labels = KeyValueFlags.Parse(parse.GetValue(label) ?? []),
                    DnsEnabled = !parse.GetValue(disableDns),
                    NetworkDnsServers = DnsServers(parse.GetValue(dns) ?? []),
                };
                networks.Create(record);
                if (!context.User.Rootless)
                {
                    try
                    {
                        new BridgePlumbing(new ProcessRunner(), BridgeTools.Find(), null).EnsureBridge(record);
                    }
                    catch
                    {
                        networks.Remove(record.Name);
                        throw;
                    }
                }

                context.Events.Write(new Core.Events.EngineEvent("network", "create", DateTimeOffset.UtcNow) { Id = record.Id, Name = record.Name });
                context.Out.WriteLine(record.Name);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Sorts --subnet or --gateway values by IP family; skiff keeps one subnet per family.</summary>
    private static (string? V4, string? V6) OnePerFamily(string[] values, string flag, string what)
    {
        List<string> v6 = values.Where(v => IpFamily.OfText(v) == IpFamily.V6).ToList();
        List<string> v4 = values.Where(v => IpFamily.OfText(v) == IpFamily.V4).ToList();
        if (v4.Count > 1 || v6.Count > 1)
        {
            string family = v4.Count > 1 ? "IPv4" : "IPv6";
            throw SkiffException.InvalidArgument($"more than one {family} {what} given ({string.Join(", ", v4.Count > 1 ? v4 : v6)}): skiff networks have one {what} per IP family", $"give {flag} at most once for IPv4 and once for IPv6");
        }

        return (v4.FirstOrDefault(), v6.FirstOrDefault());
    }

    /// <summary>--dns values (repeated or comma-separated, as podman); null when none, so the file has no field.</summary>
    private static List<string>? DnsServers(string[] values)
    {
        List<string> servers = values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        foreach (string server in servers)
        {
            if (!global::System.Net.IPAddress.TryParse(server, out _))
            {
                throw SkiffException.InvalidArgument($"{server} is not an ip address", "give --dns an IP address of a DNS server");
            }
        }

        return servers.Count > 0 ? servers : null;
    }
}

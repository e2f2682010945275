using System.CommandLine;
using Skiff.Cli.Commands.Containers;
using Skiff.Rootless.Network.Bridge;

namespace Skiff.Cli.Commands.Networks;

/// <summary><c>skiff network connect [--alias NAME]... [--ip ADDRESS] [--ip6 ADDRESS] [--mac-address MAC] NETWORK CONTAINER</c>: see <see cref="NetworkConnections"/>.</summary>
public static class NetworkConnectCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var network = new Argument<string>("network") { Description = "Network to connect the container to (name or ID)" };
        var container = new Argument<string>("container") { Description = "Container to connect (name or ID)" };
        var alias = new Option<string[]>("--alias") { Description = "Network scoped alias for the container" };
        var ip = new Option<string?>("--ip") { Description = "A static IPv4 address for the container on this network" };
        var ip6 = new Option<string?>("--ip6") { Description = "A static IPv6 address for the container on this network" };
        var mac = new Option<string?>("--mac-address") { Description = "A static MAC address for the container on this network" };
        var command = new Command("connect", "Add a container to a network") { network, container, alias, ip, ip6, mac };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            new NetworkConnections(ContainerServices.Lifecycle(context), ContainerServices.Networks(context), context.User.Rootless, () => ContainerServices.BridgeConnector(context))
                .Connect(parse.GetValue(network)!, parse.GetValue(container)!, new EndpointRequest
                {
                    Aliases = parse.GetValue(alias) ?? [],
                    Address = parse.GetValue(ip),
                    Address6 = parse.GetValue(ip6),
                    MacAddress = parse.GetValue(mac) is { } given ? MacAddress.Parse(given) : null,
                });
            return ExitCodes.Success;
        });
        return command;
    }
}

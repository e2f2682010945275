using System.CommandLine;
using Skiff.Cli.Commands.Containers;

namespace Skiff.Cli.Commands.Networks;

/// <summary><c>skiff network disconnect [-f] NETWORK CONTAINER</c>: see <see cref="NetworkConnections"/>.</summary>
public static class NetworkDisconnectCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var network = new Argument<string>("network") { Description = "Network to disconnect the container from (name or ID)" };
        var container = new Argument<string>("container") { Description = "Container to disconnect (name or ID)" };
        var force = new Option<bool>("--force", "-f") { Description = "Force removal of the container from the network (accepted for podman compatibility)" };
        var command = new Command("disconnect", "Disconnect a container from a network") { network, container, force };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            new NetworkConnections(ContainerServices.Lifecycle(context), ContainerServices.Networks(context), context.User.Rootless, () => ContainerServices.BridgeConnector(context))
                .Disconnect(parse.GetValue(network)!, parse.GetValue(container)!);
            return ExitCodes.Success;
        });
        return command;
    }
}

using System.CommandLine;

namespace Skiff.Cli.Commands.Networks;

/// <summary><c>skiff network SUBCOMMAND</c>: user-defined bridge networks, as podman's.</summary>
public static class NetworkCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("network", "Manage networks");
        command.Subcommands.Add(NetworkCreateCommand.Create(globals));
        command.Subcommands.Add(NetworkLsCommand.Create(globals));
        command.Subcommands.Add(NetworkInspectCommand.Create(globals));
        command.Subcommands.Add(NetworkRmCommand.Create(globals));
        command.Subcommands.Add(NetworkPruneCommand.Create(globals));
        command.Subcommands.Add(NetworkConnectCommand.Create(globals));
        command.Subcommands.Add(NetworkDisconnectCommand.Create(globals));
        command.Subcommands.Add(ExistsCommand.Create(globals, "network", (context, name) => Containers.ContainerServices.Networks(context).TryFind(name) is not null));
        return command;
    }
}

using System.CommandLine;

namespace Skiff.Cli.Commands.Volumes;

/// <summary><c>skiff volume SUBCOMMAND</c>: local named volumes, as podman's and docker's.</summary>
public static class VolumeCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("volume", "Manage volumes");
        command.Subcommands.Add(VolumeCreateCommand.Create(globals));
        command.Subcommands.Add(VolumeLsCommand.Create(globals));
        command.Subcommands.Add(VolumeInspectCommand.Create(globals));
        command.Subcommands.Add(VolumeRmCommand.Create(globals));
        command.Subcommands.Add(VolumePruneCommand.Create(globals));
        command.Subcommands.Add(ExistsCommand.Create(globals, "volume", (context, name) => Containers.ContainerServices.Volumes(context).TryGet(name) is not null));
        return command;
    }
}

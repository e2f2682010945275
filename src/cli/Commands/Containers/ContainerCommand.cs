using System.CommandLine;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff container SUBCOMMAND</c>: podman's and docker's group of container verbs (the same commands as the top-level ones).</summary>
public static class ContainerCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("container", "Manage containers");
        Command list = PsCommand.Create(globals);
        list.Aliases.Add("ls");
        list.Aliases.Add("list");
        foreach (Command sub in new[]
        {
            CreateCommand.Create(globals), RunCommand.Create(globals), StartCommand.Create(globals), InitCommand.Create(globals), StopCommand.Create(globals),
            KillCommand.Create(globals), RmCommand.Create(globals), list, LogsCommand.Create(globals), WaitCommand.Create(globals),
            InspectCommand.Create(globals, containersOnly: true), ExecCommand.Create(globals), RenameCommand.Create(globals), ContainerPruneCommand.Create(globals),
            CpCommand.Create(globals), ExportCommand.Create(globals), RestartCommand.Create(globals), AttachCommand.Create(globals), TopCommand.Create(globals),
            PauseCommand.Create(globals), UnpauseCommand.Create(globals), PortCommand.Create(globals), StatsCommand.Create(globals),
            UpdateCommand.Create(globals), ExistsCommand.Create(globals, "container", (context, name) => ContainerServices.Store(context).TryResolve(name) is not null),
            DiffCommand.Create(globals, DiffTarget.Container), CommitCommand.Create(globals), MountCommand.Create(globals), UnmountCommand.Create(globals),
        })
        {
            command.Subcommands.Add(sub);
        }

        return command;
    }
}

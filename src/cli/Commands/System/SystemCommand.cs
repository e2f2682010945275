using System.CommandLine;

namespace Skiff.Cli.Commands.System;

/// <summary><c>skiff system</c>: machine-level verbs (check, migrate).</summary>
public static class SystemCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("system", "Manage skiff on this machine");
        command.Subcommands.Add(SystemCheckCommand.Create(globals));
        command.Subcommands.Add(SystemMigrateCommand.Create(globals));
        command.Subcommands.Add(SystemDfCommand.Create(globals));
        command.Subcommands.Add(SystemPruneCommand.Create(globals));
        command.Subcommands.Add(EventsCommand.Create(globals));
        command.Subcommands.Add(SystemResetCommand.Create(globals));
        return command;
    }
}

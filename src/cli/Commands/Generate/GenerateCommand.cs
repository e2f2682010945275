using System.CommandLine;

namespace Skiff.Cli.Commands.Generate;

/// <summary><c>skiff generate SUBCOMMAND</c>: podman's generate, with <c>systemd</c> (podman's kube and spec are not there).</summary>
public static class GenerateCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("generate", "Generate structured data based on containers");
        command.Subcommands.Add(GenerateSystemdCommand.Create(globals));
        return command;
    }
}

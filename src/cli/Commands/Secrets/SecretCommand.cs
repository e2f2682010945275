using System.CommandLine;

namespace Skiff.Cli.Commands.Secrets;

/// <summary><c>skiff secret SUBCOMMAND</c>: podman 4.3's secrets (create, ls, inspect, rm; 4.3 has no <c>exists</c>).</summary>
public static class SecretCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("secret", "Manage secrets");
        command.Subcommands.Add(SecretCreateCommand.Create(globals));
        command.Subcommands.Add(SecretInspectCommand.Create(globals));
        command.Subcommands.Add(SecretLsCommand.Create(globals));
        command.Subcommands.Add(SecretRmCommand.Create(globals));
        return command;
    }
}

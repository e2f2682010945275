using System.CommandLine;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff container exists CONTAINER</c>: podman's silent check, exit 0 when it exists and 1 when not.</summary>
public static class ContainerExistsCommand
{
    /// <summary>podman-container-exists(1): 1 means "no such container", 125 stays an engine error.</summary>
    public const int MissingExitCode = 1;

    public static Command Create(GlobalOptions globals)
    {
        var container = new Argument<string>("container") { Description = "Name or ID of the container" };
        var command = new Command("exists", "Check if a container exists in local storage") { container };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            return ContainerServices.Store(context).TryResolve(parse.GetValue(container)!) is null ? MissingExitCode : ExitCodes.Success;
        });
        return command;
    }
}

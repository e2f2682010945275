using System.CommandLine;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff create [OPTIONS] IMAGE [COMMAND [ARG...]]</c>: create a container without starting it; prints its id.</summary>
public static class CreateCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var options = new CreateOptions();
        var command = new Command("create", "Create but do not start a container");
        options.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerConfig config = await new ContainerCreator(context, options).CreateAsync(parse, detach: true, cancellationToken);
            context.Out.WriteLine(config.Id);
            return ExitCodes.Success;
        });
        return command;
    }
}

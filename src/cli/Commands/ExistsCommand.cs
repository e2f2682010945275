using System.CommandLine;

namespace Skiff.Cli.Commands;

/// <summary>
/// podman's silent <c>exists</c> checks (<c>container|image|volume|network exists NAME</c>): exit 0 when the object
/// exists, 1 when it does not, 125 when the store cannot be read; nothing is printed unless that fails.
/// </summary>
public static class ExistsCommand
{
    /// <summary>podman-container-exists(1) and its siblings: 1 means "no such object", 125 stays an engine error.</summary>
    public const int MissingExitCode = 1;

    /// <param name="kind">What is looked up, for the help text ("container", "image", …).</param>
    /// <param name="exists">Whether the store holds an object of that name or id.</param>
    public static Command Create(GlobalOptions globals, string kind, Func<CliContext, string, bool> exists)
    {
        var name = new Argument<string>(kind) { Description = $"Name or ID of the {kind}" };
        var command = new Command("exists", $"Check if a {kind} exists in local storage") { name };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            return exists(context, parse.GetValue(name)!) ? ExitCodes.Success : MissingExitCode;
        });
        return command;
    }
}

using System.CommandLine;
using Skiff.Cli.Commands.Images;

namespace Skiff.Cli.Commands.System;

/// <summary>
/// <c>skiff __complete images|containers</c> (hidden): the names the completion scripts offer, one per
/// line. Read-only and quiet: any failure prints nothing, so a broken store never breaks the shell.
/// </summary>
public static class CompleteCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var kind = new Argument<string>("kind") { Description = "images or containers" };
        var command = new Command("__complete", "Print names for shell completion") { kind };
        command.Hidden = true;
        command.SetAction(parseResult =>
        {
            CliContext context = globals.Resolve(parseResult);
            try
            {
                if (parseResult.GetValue(kind) == "images")
                {
                    foreach (string name in ImageServices.Local(context).Images.List().SelectMany(i => i.Names).Distinct().Order(StringComparer.Ordinal))
                    {
                        context.Out.WriteLine(name);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Skiff.Core.Errors.SkiffException)
            {
                // Completion must never print errors into the user's command line.
            }

            return ExitCodes.Success;
        });
        return command;
    }
}

using System.CommandLine;
using Skiff.Cli.Completion;

namespace Skiff.Cli.Commands.System;

/// <summary><c>skiff completion bash|zsh|fish</c>: prints the completion script generated from the command tree.</summary>
public static class CompletionCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var shell = new Argument<string>("shell") { Description = "Shell to generate completions for" };
        shell.AcceptOnlyFromAmong([.. CompletionScripts.Shells]);
        var command = new Command("completion", "Generate shell completion scripts") { shell };
        command.SetAction(parseResult =>
        {
            CliContext context = globals.Resolve(parseResult);
            var root = (RootCommand)parseResult.RootCommandResult.Command;
            context.Out.Write(CompletionScripts.Generate(parseResult.GetValue(shell)!, root));
            return ExitCodes.Success;
        });
        return command;
    }
}

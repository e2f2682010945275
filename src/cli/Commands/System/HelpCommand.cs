using System.CommandLine;

namespace Skiff.Cli.Commands.System;

/// <summary>
/// <c>skiff help [VERB…]</c>, podman's: the same as <c>skiff [VERB…] --help</c>. Program.cs turns the line into that
/// before parsing; this command is in the tree so that help and completions list it.
/// </summary>
public static class HelpCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var verbs = new Argument<string[]>("command") { Arity = ArgumentArity.ZeroOrMore, Description = "The command to show the help of" };
        var command = new Command("help", "Help about any command") { verbs };
        command.SetAction(_ => ExitCodes.Success);
        return command;
    }
}

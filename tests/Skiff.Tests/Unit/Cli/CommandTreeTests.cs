using System.CommandLine;
using Skiff.Cli;
using Skiff.Cli.Commands;
using Skiff.Core.Users;

namespace Skiff.Tests.Unit.Cli;

/// <summary>A command line whose verb is known builds only that verb: it must be the same verb the whole tree has.</summary>
public class CommandTreeTests
{
    private static readonly GlobalOptions Globals = new(CurrentUser.Detect());

    public static TheoryData<string> VerbNames()
    {
        var names = new TheoryData<string>();
        foreach (Command verb in CommandTree.Build(Globals).Subcommands)
        {
            names.Add(verb.Name);
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(VerbNames))]
    public void A_verb_built_alone_is_the_verb_of_the_whole_tree(string name)
    {
        RootCommand whole = CommandTree.Build(Globals);
        RootCommand alone = CommandTree.Build(Globals, name);

        Command verb = Assert.Single(alone.Subcommands, c => c.Name == name);
        Assert.Equal(Shape(whole.Subcommands.Single(c => c.Name == name)), Shape(verb));
        Assert.Equal(Shape(whole.Options), Shape(alone.Options));
    }

    [Theory]
    [InlineData("run")]
    [InlineData("ps")]
    [InlineData("network")]
    public void Only_that_verb_is_built(string name) =>
        Assert.Equal([name], CommandTree.Build(Globals, name).Subcommands.Select(c => c.Name));

    [Theory]
    [InlineData(null)]
    [InlineData("frob")]
    [InlineData("remove")]
    [InlineData("list")]
    [InlineData("completion")]
    public void Aliases_unknown_verbs_and_completion_get_the_whole_tree(string? name) =>
        Assert.Equal(
            CommandTree.Build(Globals).Subcommands.Select(c => c.Name),
            CommandTree.Build(Globals, name).Subcommands.Select(c => c.Name));

    [Fact]
    public void A_run_command_line_parses_the_same_alone()
    {
        string[] args = ["--root", "/tmp/r", "run", "--rm", "--network", "none", "-e", "A=1", "bb", "true"];
        ParseResult whole = CommandTree.Build(Globals).Parse(args);
        ParseResult alone = CommandTree.Build(Globals, "run").Parse(args);

        Assert.Empty(alone.Errors);
        Assert.Equal("run", alone.CommandResult.Command.Name);
        Assert.Equal(Describe(whole), Describe(alone));
    }

    [Theory]
    [InlineData("run", "--rm", "--network", "none", "bb", "true")]
    [InlineData("--root", "/tmp/r", "run", "-it", "-e", "A=1", "--ulimit", "nofile=1:2", "bb", "sh", "-c", "exit 3")]
    [InlineData("ps", "-a", "--format", "{{.ID}}")]
    [InlineData("run", "--frob", "bb")]
    [InlineData("run")]
    [InlineData("network", "ls", "extra")]
    public void A_line_that_cannot_ask_for_help_parses_the_same_without_the_root_options(params string[] args)
    {
        Command lean = CommandTree.Build(Globals, args.First(a => !a.StartsWith('-') && a != "/tmp/r"), args);
        ParseResult whole = CommandTree.Build(Globals).Parse(args);
        ParseResult alone = lean.Parse(args);

        Assert.IsNotType<RootCommand>(lean);
        Assert.Equal(RootCommand.ExecutableName, lean.Name);
        Assert.Equal(Shape(whole.RootCommandResult.Command.Options.Where(o => o.Name is not ("--help" or "--version"))), Shape(lean.Options));
        Assert.Equal(whole.CommandResult.Command.Name, alone.CommandResult.Command.Name);
        Assert.Equal(Describe(whole), Describe(alone));
        Assert.Equal(whole.Errors.Select(e => e.Message), alone.Errors.Select(e => e.Message));
    }

    [Theory]
    [InlineData("run", "--help")]
    [InlineData("run", "-h")]
    [InlineData("run", "-ith", "bb")]
    [InlineData("run", "-?")]
    [InlineData("run", "/?")]
    [InlineData("run", "/h")]
    [InlineData("run", "--help=x")]
    [InlineData("run", "--version")]
    [InlineData("run", "@args.rsp")]
    [InlineData("run", "bb", "ls", "-lh")]
    [InlineData("[diagram]", "run", "bb")]
    [InlineData("ps", "-h")]
    public void A_line_that_may_ask_for_help_gets_the_root_command(params string[] args) =>
        Assert.IsType<RootCommand>(CommandTree.Build(Globals, args.First(a => a is "run" or "ps"), args));

    [Fact]
    public void Aliases_and_unknown_verbs_get_the_root_command()
    {
        Assert.IsType<RootCommand>(CommandTree.Build(Globals, "list", ["list"]));
        Assert.IsType<RootCommand>(CommandTree.Build(Globals, "frob", ["frob"]));
        Assert.IsType<RootCommand>(CommandTree.Build(Globals, "completion", ["completion", "bash"]));
        Assert.IsType<RootCommand>(CommandTree.Build(Globals, null, []));
    }

    private static string Shape(Command command) =>
        $"{command.Name}[{string.Join(',', command.Aliases.Order(StringComparer.Ordinal))}]"
        + $"({Shape(command.Options)};{string.Join(',', command.Arguments.Select(a => a.Name))})"
        + $"{{{string.Join(' ', command.Subcommands.Select(Shape))}}}";

    private static string Shape(IEnumerable<Option> options) =>
        string.Join(',', options.Select(o => $"{o.Name}[{string.Join('|', o.Aliases.Order(StringComparer.Ordinal))}]"));

    private static string Describe(ParseResult parse) =>
        string.Join(
            ';',
            parse.CommandResult.Children.Select(c => c switch
            {
                System.CommandLine.Parsing.OptionResult o => $"{o.Option.Name}={string.Join(',', o.Tokens.Select(t => t.Value))}",
                System.CommandLine.Parsing.ArgumentResult a => $"{a.Argument.Name}={string.Join(',', a.Tokens.Select(t => t.Value))}",
                _ => c.ToString(),
            }))
        + "|" + parse.GetValue<string?>("--root");
}

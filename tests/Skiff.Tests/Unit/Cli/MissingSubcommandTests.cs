using System.CommandLine;
using Skiff.Cli;
using Skiff.Cli.Commands;
using Skiff.Core.Users;

namespace Skiff.Tests.Unit.Cli;

/// <summary>A verb group given an unknown verb or none says so as podman does, not "Required command was not provided".</summary>
public class MissingSubcommandTests
{
    private static readonly RootCommand Tree = CommandTree.Build(new GlobalOptions(CurrentUser.Detect()));

    [Theory]
    [InlineData("unrecognized command `skiff network frob`", "network", "frob")]
    [InlineData("unrecognized command `skiff volume frob`", "volume", "frob", "x")]
    [InlineData("unrecognized command `skiff container frob`", "--root", "/tmp/r", "container", "frob")]
    [InlineData("unrecognized command `skiff system frob`", "system", "frob")]
    [InlineData("missing command 'skiff network COMMAND'", "network")]
    [InlineData("missing command 'skiff image COMMAND'", "image")]
    public void Groups_name_the_unknown_or_missing_verb(string expected, params string[] args) =>
        Assert.Equal(expected, MissingSubcommand.Describe(Tree.Parse(args)));

    [Theory]
    [InlineData("network", "rm")]
    [InlineData("stop", "--bogus", "web")]
    [InlineData("frob")]
    public void Other_parse_errors_are_left_alone(params string[] args)
    {
        ParseResult parse = Tree.Parse(args);
        Assert.NotEmpty(parse.Errors);
        Assert.Null(MissingSubcommand.Describe(parse));
    }
}

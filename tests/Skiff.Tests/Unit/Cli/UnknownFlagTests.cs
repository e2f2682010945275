using System.CommandLine;
using Skiff.Cli;
using Skiff.Cli.Commands;
using Skiff.Core.Users;

namespace Skiff.Tests.Unit.Cli;

/// <summary>An unknown flag is reported as one, never taken for a container, image or volume name.</summary>
public class UnknownFlagTests
{
    private static readonly RootCommand Tree = CommandTree.Build(new GlobalOptions(CurrentUser.Detect()));

    private static IReadOnlyList<string> Errors(params string[] args)
    {
        int verbIndex = 0;
        if (CommandTree.PassThroughVerbs.TryGetValue(args[0], out int leading))
        {
            Command verb = Tree.Subcommands.First(c => c.Name == args[0]);
            args = PassThroughArguments.Separate(args, verbIndex, verb, leading);
        }

        return Tree.Parse(args).Errors.Select(e => e.Message).ToList();
    }

    [Theory]
    [InlineData("stop", "--bogus", "web")]
    [InlineData("rm", "--bogus", "web")]
    [InlineData("logs", "--bogus", "web")]
    [InlineData("run", "--bogus", "busybox", "true")]
    [InlineData("create", "--bogus", "busybox")]
    [InlineData("exec", "--bogus", "web", "true")]
    [InlineData("volume", "rm", "--bogus", "data")]
    [InlineData("network", "rm", "--bogus", "net")]
    [InlineData("container", "inspect", "--bogus", "web")]
    [InlineData("image", "rm", "--bogus", "busybox")]
    public void Unknown_flags_are_named(params string[] args) =>
        Assert.Contains("unknown flag: --bogus", Errors(args));

    [Theory]
    [InlineData("run", "--bogus=false", "busybox", "true")]
    [InlineData("stop", "--bogus=10", "web")]
    [InlineData("volume", "rm", "--bogus=x", "data")]
    public void An_unknown_flag_with_a_value_is_named_without_it_as_docker_does(params string[] args)
    {
        IReadOnlyList<string> errors = Errors(args);
        Assert.Contains("unknown flag: --bogus", errors);
        Assert.DoesNotContain(errors, e => e.StartsWith("unknown flag: --bogus=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("run", "busybox", "ls", "-la")]
    [InlineData("exec", "web", "ps", "-ef")]
    [InlineData("unshare", "ls", "-l")]
    [InlineData("cp", "-", "web:/tmp")]
    public void Flags_that_belong_to_the_container_command_stay_arguments(params string[] args) =>
        Assert.Empty(Errors(args));
}

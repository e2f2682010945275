using System.CommandLine;
using Skiff.Cli;

namespace Skiff.Tests.Unit.Cli;

public class PassThroughArgumentsTests
{
    private static Command Run()
    {
        var command = new Command("run");
        command.Options.Add(new Option<bool>("--interactive", "-i"));
        command.Options.Add(new Option<bool>("--tty", "-t"));
        command.Options.Add(new Option<string[]>("--env", "-e"));
        command.Options.Add(new Option<string?>("--name"));
        return command;
    }

    [Fact]
    public void Stops_flag_parsing_after_the_image()
    {
        string[] args = ["run", "-it", "-e", "A=1", "--name=x", "alpine", "ls", "-la"];
        Assert.Equal(["run", "-it", "-e", "A=1", "--name=x", "alpine", "--", "ls", "-la"], PassThroughArguments.Separate(args, 0, Run(), 1));
    }

    [Fact]
    public void Leaves_an_explicit_separator_alone()
    {
        string[] args = ["run", "alpine", "--", "ls"];
        Assert.Equal(args, PassThroughArguments.Separate(args, 0, Run(), 1));
    }

    [Fact]
    public void Value_flags_consume_their_value()
    {
        string[] args = ["run", "--name", "web", "alpine", "sh"];
        Assert.Equal(["run", "--name", "web", "alpine", "--", "sh"], PassThroughArguments.Separate(args, 0, Run(), 1));
    }
}

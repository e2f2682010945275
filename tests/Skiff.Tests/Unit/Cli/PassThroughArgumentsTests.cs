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

public class PassThroughArgumentsLatestTests
{
    private static Command Exec()
    {
        var command = new Command("exec");
        command.Options.Add(new Option<bool>("--interactive", "-i"));
        command.Options.Add(new Option<bool>("--tty", "-t"));
        command.Options.Add(new Option<string[]>("--env", "-e"));
        command.Options.Add(new Option<bool>("--latest", "-l"));
        return command;
    }

    [Theory]
    [InlineData("-l")]
    [InlineData("--latest")]
    [InlineData("-itl")]
    public void Latest_stands_for_the_container_so_the_command_starts_at_the_first_positional(string flag)
    {
        string[] args = ["exec", flag, "sh", "-c", "echo hi"];
        Assert.Equal(["exec", flag, "--", "sh", "-c", "echo hi"], PassThroughArguments.Separate(args, 0, Exec(), 1));
    }

    [Fact]
    public void Without_latest_the_container_comes_first()
    {
        string[] args = ["exec", "-it", "web", "sh", "-c", "x"];
        Assert.Equal(["exec", "-it", "web", "--", "sh", "-c", "x"], PassThroughArguments.Separate(args, 0, Exec(), 1));
    }

    [Fact]
    public void A_letter_l_that_is_the_value_of_a_bundled_flag_is_not_latest()
    {
        // -el: -e takes "l" as its value, so the container still comes first.
        string[] args = ["exec", "-el", "web", "sh"];
        Assert.Equal(["exec", "-el", "web", "--", "sh"], PassThroughArguments.Separate(args, 0, Exec(), 1));
    }

    [Fact]
    public void A_verb_without_latest_keeps_its_leading_positional()
    {
        var run = new Command("run");
        run.Options.Add(new Option<bool>("--interactive", "-i"));
        string[] args = ["run", "-l", "alpine", "ls"];
        Assert.Equal(["run", "-l", "alpine", "--", "ls"], PassThroughArguments.Separate(args, 0, run, 1));
    }
}

using Skiff.Tests.Support;

namespace Skiff.Tests.Unit.Repository;

/// <summary>The README's first two commands are the ones CI and new users run; keep them honest.</summary>
public sealed class ReadmeTests
{
    private static IReadOnlyList<string> FirstCodeBlock()
    {
        string[] lines = File.ReadAllLines(Path.Combine(TestEnvironment.RepositoryRoot, "README.md"));
        int start = Array.FindIndex(lines, l => l.StartsWith("```", StringComparison.Ordinal));
        Assert.True(start >= 0, "README.md has no code block");
        return lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("```", StringComparison.Ordinal)).ToList();
    }

    [Fact]
    public void Starts_with_install_and_first_run_then_the_test_command()
    {
        IReadOnlyList<string> commands = FirstCodeBlock();
        Assert.Equal(2, commands.Count);
        Assert.StartsWith("./install.sh && ", commands[0]);
        Assert.Contains("skiff run ", commands[0]);
        Assert.Equal("./tests/run.sh", commands[1]);
    }

    [Fact]
    public void Ci_runs_exactly_the_readme_test_command()
    {
        string testCommand = FirstCodeBlock()[1];
        string[] ci = File.ReadAllLines(Path.Combine(TestEnvironment.RepositoryRoot, ".ci", "run"));
        string last = ci.Last(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'));
        Assert.Equal($"exec {testCommand}", last.Trim());
    }

    [Fact]
    public void Install_command_names_the_starter_image_install_sh_builds()
    {
        string install = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "install.sh"));
        Assert.Contains("share_dir=/usr/local/share/skiff", install);
        Assert.Contains("/usr/local/share/skiff/busybox-rootfs.tar", FirstCodeBlock()[0]);
    }
}

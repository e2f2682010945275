using System.CommandLine;
using System.Diagnostics;
using Skiff.Cli;
using Skiff.Cli.Commands;
using Skiff.Cli.Completion;
using Skiff.Core.Users;

namespace Skiff.Tests.Unit.Completion;

[global::System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class CompletionScriptTests
{
    private static RootCommand Tree() => CommandTree.Build(new GlobalOptions(CurrentUser.Detect()));

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tool.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Tool.sln not found above " + AppContext.BaseDirectory);
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("zsh")]
    [InlineData("fish")]
    public void Committed_scripts_match_the_command_tree(string shell)
    {
        string path = Path.Combine(RepositoryRoot(), "completions", CompletionScripts.FileName(shell));
        string generated = CompletionScripts.Generate(shell, Tree());
        if (Environment.GetEnvironmentVariable("SKIFF_UPDATE_COMPLETIONS") == "1")
        {
            File.WriteAllText(path, generated);
        }

        string committed = File.Exists(path) ? File.ReadAllText(path) : "(missing)";
        Assert.True(
            committed == generated,
            $"completions/{CompletionScripts.FileName(shell)} is out of date with the command tree. Regenerate all of completions/ with:\n" +
            "  SKIFF_UPDATE_COMPLETIONS=1 dotnet test tests/Skiff.Tests --filter FullyQualifiedName~CompletionScriptTests\n" +
            "and commit the result.");
    }

    [Fact]
    public void Every_visible_verb_is_offered()
    {
        string script = CompletionScripts.Generate("bash", Tree());
        foreach (Command verb in Tree().Subcommands.Where(c => !c.Hidden))
        {
            Assert.Contains(verb.Name, Complete(script, "skiff", string.Empty));
        }
    }

    [Fact]
    public void Bash_completes_verbs_flags_and_flag_values()
    {
        string script = CompletionScripts.Generate("bash", Tree());
        Assert.Equal(["completion"], Complete(script, "skiff", "comp"));
        Assert.Equal(["bash", "fish", "zsh"], Complete(script, "skiff", "completion", string.Empty));
        Assert.Equal(["zsh"], Complete(script, "skiff", "--log-level", "debug", "completion", "z"));
        Assert.Equal(["debug"], Complete(script, "skiff", "--log-level", "deb"));
        Assert.Contains("--runroot", Complete(script, "skiff", "info", "--run"));
    }

    [Fact]
    public void Bash_asks_skiff_for_image_names()
    {
        var root = new RootCommand();
        var rmi = new Command("rmi") { new Argument<string[]>("image") };
        rmi.Options.Add(new Option<bool>("--force", "-f"));
        root.Subcommands.Add(rmi);
        string script = CompletionScripts.Generate("bash", root);
        string fake = Path.Combine(Path.GetTempPath(), $"skiff-fake-{Guid.NewGuid():N}");
        File.WriteAllText(fake, "#!/bin/sh\n[ \"$1\" = __complete ] && [ \"$2\" = images ] && printf 'busybox:latest\\nalpine:3\\n'\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            Assert.Equal(["busybox:latest"], Complete(script, fake, "rmi", "-f", "bu"));
            Assert.Equal(["--force"], Complete(script, fake, "rmi", "--f"));
            Assert.Contains("-f", Complete(script, fake, "rmi", "-"));
        }
        finally
        {
            File.Delete(fake);
        }
    }

    /// <summary>Runs the bash script's completion function for a command line and returns COMPREPLY.</summary>
    private static string[] Complete(string script, params string[] words)
    {
        string file = Path.Combine(Path.GetTempPath(), $"skiff-completion-{Guid.NewGuid():N}.bash");
        File.WriteAllText(file, script);
        try
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("source \"$1\"; shift; COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); _skiff; printf '%s\\n' \"${COMPREPLY[@]}\"");
            start.ArgumentList.Add("bash");
            start.ArgumentList.Add(file);
            foreach (string word in words)
            {
                start.ArgumentList.Add(word);
            }

            using Process process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, error);
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();
        }
        finally
        {
            File.Delete(file);
        }
    }
}

namespace Skiff.Tests.Support;

/// <summary>What a program run by the tests did. The Assert helpers put the whole result into the failure message.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string Stdout, string Stderr)
{
    public ProcessResult AssertSuccess()
    {
        if (ExitCode != 0)
        {
            Assert.Fail($"expected exit code 0\n{this}");
        }

        return this;
    }

    public ProcessResult AssertExitCode(int expected)
    {
        if (ExitCode != expected)
        {
            Assert.Fail($"expected exit code {expected}\n{this}");
        }

        return this;
    }

    /// <summary>docker's error contract: the given exit code and an `Error:` line on stderr containing <paramref name="messagePart"/>.</summary>
    public ProcessResult AssertError(int expectedExitCode, string messagePart)
    {
        AssertExitCode(expectedExitCode);
        if (!Stderr.Contains("Error:", StringComparison.Ordinal) || !Stderr.Contains(messagePart, StringComparison.Ordinal))
        {
            Assert.Fail($"expected an `Error:` line containing \"{messagePart}\" on stderr\n{this}");
        }

        return this;
    }

    /// <summary>Stdout split into lines, without the trailing empty line.</summary>
    public IReadOnlyList<string> StdoutLines =>
        Stdout.Split('\n', StringSplitOptions.None).Select(l => l.TrimEnd('\r')).Reverse().SkipWhile(l => l.Length == 0).Reverse().ToList();

    public override string ToString() =>
        $"$ {CommandLine}\n[exit code {ExitCode}]\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

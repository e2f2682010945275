namespace Skiff.Tests.Support;

/// <summary>One program run by the tests: argv list, never a shell string.</summary>
/// <param name="Program">Program path or name looked up in PATH.</param>
/// <param name="Arguments">Its arguments.</param>
public sealed record ProcessSpec(string Program, IReadOnlyList<string> Arguments)
{
    /// <summary>The complete environment of the program; null inherits the test process's environment.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Bytes written to stdin, which is then closed. Stdin is always redirected, so nothing waits on a terminal.</summary>
    public byte[]? StandardInput { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    public string? WorkingDirectory { get; init; }

    /// <summary>Run as this user (through runuser) unless it is the test process's own user; null runs as the test process.</summary>
    public TestUser? User { get; init; }
}

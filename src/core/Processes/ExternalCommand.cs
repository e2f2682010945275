namespace Skiff.Core.Processes;

/// <summary>An external program invocation: the program, its argv (never a shell string) and extras.</summary>
public sealed record ExternalCommand(string Program, IReadOnlyList<string> Arguments)
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Bytes written to the program's standard input, then closed. Null leaves stdin at /dev/null.</summary>
    public byte[]? StandardInput { get; init; }

    public override string ToString() => string.Join(' ', Arguments.Prepend(Program));
}

namespace Skiff.Runtime.Monitor;

/// <summary>A process to run in a running container (docker exec).</summary>
public sealed record ExecOptions(IReadOnlyList<string> Args)
{
    public IReadOnlyList<string> Env { get; init; } = [];

    /// <summary>uid[:gid], numeric.</summary>
    public string? User { get; init; }

    public string? WorkingDir { get; init; }

    public bool Detach { get; init; }
}

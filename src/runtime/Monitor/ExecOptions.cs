namespace Skiff.Runtime.Monitor;

/// <summary>A process to run in a running container (docker exec).</summary>
public sealed record ExecOptions(IReadOnlyList<string> Args)
{
    public IReadOnlyList<string> Env { get; init; } = [];

    /// <summary>uid[:gid], numeric.</summary>
    public string? User { get; init; }

    /// <summary>Supplementary groups of <see cref="User"/> (the image's /etc/group membership, as podman's exec).</summary>
    public IReadOnlyList<uint> AdditionalGids { get; init; } = [];

    public string? WorkingDir { get; init; }

    public bool Detach { get; init; }
}

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

    /// <summary>Capabilities added to the process's bounding, effective and permitted sets (the runtime's <c>--cap</c>; exec --privileged gives all of the host's).</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>Descriptors 3..3+N-1 of the caller passed on to the process (the runtime's <c>--preserve-fds N</c>).</summary>
    public int PreserveFds { get; init; }
}

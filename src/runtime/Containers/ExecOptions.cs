namespace Skiff.Runtime.Containers;

/// <summary>`exec`'s arguments, as runc and crun name them.</summary>
public sealed record ExecOptions(string Id, IReadOnlyList<string> Args)
{
    public IReadOnlyList<string> Env { get; init; } = [];

    /// <summary>uid[:gid], numeric; null keeps the container process's user.</summary>
    public string? User { get; init; }

    public string? Cwd { get; init; }

    public bool Tty { get; init; }

    public string? ConsoleSocket { get; init; }

    /// <summary>Return once the process runs instead of waiting for it.</summary>
    public bool Detach { get; init; }

    public string? PidFile { get; init; }

    /// <summary>A whole process spec (runc's --process FILE): replaces the container's process settings; the other options apply on top.</summary>
    public Spec.ProcessSpec? Process { get; init; }

    public IReadOnlyList<uint> AdditionalGids { get; init; } = [];

    public bool NoNewPrivileges { get; init; }

    /// <summary>Capabilities added to the bounding, effective and permitted sets (and the ambient set when the inheritable set is not empty), as runc's --cap.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>Our descriptors 3..3+N-1 passed on to the process, as runc's --preserve-fds.</summary>
    public int PreserveFds { get; init; }
}

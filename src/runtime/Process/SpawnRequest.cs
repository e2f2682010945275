using System.Runtime.InteropServices;

namespace Skiff.Runtime.Process;

/// <summary>
/// A program to start with exact control over its file descriptors: the child gets only
/// <see cref="Descriptors"/> (each duplicated onto its target number) and nothing else of ours.
/// </summary>
public sealed record SpawnRequest(string Executable, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>Descriptors the child receives, as (our handle, fd number in the child). Targets 0–2 are stdio.</summary>
    public IReadOnlyList<(SafeHandle Handle, int Target)> Descriptors { get; init; } = [];

    /// <summary>Start the child in a new session (setsid), detached from our terminal.</summary>
    public bool NewSession { get; init; }

    /// <summary>
    /// Start the child in a process group of its own, in our session: if it is stopped when we die, the kernel
    /// continues it (SIGHUP, then SIGCONT: its group became orphaned with a stopped member).
    /// </summary>
    public bool NewProcessGroup { get; init; }

    /// <summary>The child's argv[0] when it is not <see cref="Executable"/> (a multi-call binary picks its mode by that name).</summary>
    public string? ArgumentZero { get; init; }
}

using Skiff.Runtime.Process;

namespace Skiff.Runtime.Monitor;

/// <summary>skiff-relay for a monitor to hand its container over to, and what it needs to come back.</summary>
/// <param name="Program">skiff-relay's path.</param>
/// <param name="Root">The store root, for the exit's `skiff __monitor-exit`.</param>
/// <param name="RunRoot">The run root.</param>
/// <param name="Skiff">The skiff that skiff-relay execs when the container ends.</param>
public sealed record IdleRelayTarget(string Program, string Root, string RunRoot, string Skiff)
{
    /// <summary>skiff-relay next to <paramref name="skiffExecutable"/> or in ../libexec/skiff, like skiff-init; null when not installed.</summary>
    public static IdleRelayTarget? Find(string skiffExecutable, string root, string runRoot) =>
        CompanionFile.Find(skiffExecutable, RelayHandover.FileName) is { } program ? new IdleRelayTarget(program, root, runRoot, skiffExecutable) : null;
}

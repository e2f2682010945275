using Microsoft.Win32.SafeHandles;

namespace Skiff.Runtime.Namespaces;

/// <summary>
/// A process started inside new namespaces. <see cref="Pid"/> is the process that runs .NET code there
/// (a grandchild when a pid namespace was involved: the caller must be a child subreaper to wait for it).
/// <see cref="Sync"/> stays connected to fd 3 of that process for further protocol; dispose it when done.
/// </summary>
public sealed class NamespacedProcess(int pid, int spawnedPid, SafeFileHandle sync) : IDisposable
{
    public int Pid { get; } = pid;

    /// <summary>The process posix_spawn created; equal to <see cref="Pid"/> unless the entry stage forked.</summary>
    public int SpawnedPid { get; } = spawnedPid;

    public SafeFileHandle Sync { get; } = sync;

    public void Dispose() => Sync.Dispose();
}

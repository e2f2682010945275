using Microsoft.Win32.SafeHandles;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// A monitor started before its container exists (<see cref="MonitorLauncher.Prepare"/>): its runtime starts
/// while the CLI resolves the image and writes the bundle, and it waits on <see cref="Sync"/> for the
/// container's id. Disposing it without handing over a container makes the monitor exit.
/// </summary>
public sealed class PreparedMonitor(int pid, SafeFileHandle sync) : IDisposable
{
    public int Pid { get; } = pid;

    /// <summary>The CLI's end of the monitor's sync socket: the id goes out on it, the report comes back.</summary>
    public SafeFileHandle Sync { get; } = sync;

    public void Dispose() => Sync.Dispose();
}

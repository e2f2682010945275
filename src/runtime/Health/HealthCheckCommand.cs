using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Process;

namespace Skiff.Runtime.Health;

/// <summary>
/// The command a container's monitor (or skiff-relay) runs for each scheduled check: <c>skiff --root ROOT --runroot
/// RUNROOT healthcheck run ID</c>, which execs the check in the container, records the result and takes the
/// on-failure action. Its output goes nowhere: the result is in the container's health record.
/// </summary>
public sealed record HealthCheckCommand(string Skiff, string Root, string RunRoot, string Id)
{
    // Built once: skiff-relay starts a check every interval for as long as the container runs, and idles small.
    private IReadOnlyDictionary<string, string>? environment;

    public IReadOnlyList<string> Arguments() => ["--root", Root, "--runroot", RunRoot, "healthcheck", "run", Id];

    /// <summary>Starts the check; the caller polls the pidfd and reaps the pid (its own child).</summary>
    public (int Pid, SafeFileHandle? PidFd) Start()
    {
        using SafeFileHandle nullIn = Descriptors.OpenNull(write: false);
        using SafeFileHandle nullOut = Descriptors.OpenNull(write: true);
        int pid = Spawner.Spawn(new SpawnRequest(Skiff, Arguments(), environment ??= Monitor.RuntimeInvoker.CurrentEnvironment())
        {
            Descriptors = [(nullIn, 0), (nullOut, 1), (nullOut, 2)],
        });
        return (pid, Descriptors.TryOpenPidFd(pid));
    }
}

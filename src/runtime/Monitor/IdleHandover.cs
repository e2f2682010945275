using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Logs;
using Skiff.Runtime.Memory;
using Skiff.Runtime.Process;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// The container has run for a while (<see cref="ContainerMonitor.IdleAfter"/>): what setup needed (code, metadata,
/// heap) is not needed until it ends. The monitor hands the container over to skiff-relay, a program a fraction of
/// skiff's size, or, without one, gives back what it can. Short-lived containers end before this and pay nothing.
/// </summary>
internal sealed class IdleHandover(IdleRelayTarget? target, IContainerNetwork? network, ContainerStore store, string id)
{
    public void GoIdle(ContainerConfig config, MonitorRelay relay, int pid, SafeFileHandle? pidFd, bool handOver = true)
    {
        if (handOver && target is not null && pidFd is not null && network?.HoldsProcessState != true)
        {
            try
            {
                HandOver(target, config, relay, pid, pidFd);
            }
            catch (SystemCallException e)
            {
                Console.Error.WriteLine($"skiff monitor: cannot hand over to {target.Program}: {e.Message}");
            }
        }

        IdleMemory.Trim();
    }

    /// <summary>Replaces this program with skiff-relay; returns only if execve failed.</summary>
    private void HandOver(IdleRelayTarget target, ContainerConfig config, MonitorRelay relay, int pid, SafeFileHandle pidFd)
    {
        var kept = new List<SafeFileHandle> { pidFd };
        kept.AddRange(relay.Clients);
        foreach (SafeFileHandle? handle in new[] { relay.AttachListener, relay.Stdout, relay.Stderr, relay.Terminal, relay.StdinWriter, relay.HealthChecks?.ChildPidFd })
        {
            if (handle is not null)
            {
                kept.Add(handle);
            }
        }

        foreach (SafeFileHandle handle in kept)
        {
            Descriptors.KeepAcrossExec(handle);
        }

        foreach (System.Runtime.InteropServices.SafeHandle handle in network?.DescriptorsToKeep ?? [])
        {
            Descriptors.KeepAcrossExec(handle);
        }

        var handover = new RelayHandover(
            target.Root,
            target.RunRoot,
            id,
            pid,
            Number(pidFd),
            Number(relay.AttachListener),
            Number(relay.Stdout),
            Number(relay.Stderr),
            Number(relay.Terminal),
            Number(relay.StdinWriter),
            [.. relay.Clients.Select(client => Number(client))],
            config.LogDriver,
            store.LogPath(config),
            target.Skiff)
        {
            LogRotation = LogRotation.Of(config.LogMaxSize, config.LogMaxFiles),
            HealthInterval = relay.HealthChecks?.Timer.IntervalMilliseconds ?? 0,
            HealthDue = relay.HealthChecks?.Timer.DueAt ?? 0,
            HealthPid = relay.HealthChecks?.ChildPid ?? 0,
            HealthPidFd = Number(relay.HealthChecks?.ChildPidFd),
            Deadline = relay.Deadline,
        };
        ProcessImage.Replace(target.Program, handover.ToArguments(), ProcessImage.CurrentEnvironment());

        static int Number(SafeFileHandle? handle) => handle is null ? -1 : (int)handle.DangerousGetHandle();
    }
}

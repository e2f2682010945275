using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Process;
using Skiff.Runtime.Volumes;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// What the monitor does once the container has ended: stops the network helpers, records the exit (with --rm:
/// unlists the container and removes its anonymous volumes), reports it to the attached clients, then cleans up
/// (runtime state, cgroups, unmount, file removal) under the container's lock.
/// </summary>
internal sealed class ContainerEnd(ContainerStore store, string id, TimeProvider clock, IContainerNetwork? network, VolumeStore? volumes, IMonitorRuntime runtime)
{
    /// <param name="relay">Reaches the attached clients; null when none can be attached.</param>
    /// <param name="mountNamespace">The container's mount namespace the monitor held (<see cref="MountNamespaceHold"/>), closed once the exit was reported.</param>
    public void Finish(ContainerConfig config, ChildExit exit, MonitorRelay? relay, SafeFileHandle? mountNamespace)
    {
        // Read before the runtime deletes the group: the kernel's OOM counter dies with it.
        bool oomKilled = config.CgroupPath is not null && CgroupCleanup.WasOomKilled(config.CgroupPath);
        // The helper goes before the exit is recorded, so whoever waits for the exit finds it gone; its
        // namespace files go after the exit was reported, before the run directory is purged.
        network?.StopHelpers(config);

        // The exit is recorded (or, with --rm, the record is gone and the name free) and reported to the
        // attached clients first; the slow part of the cleanup (runtime state, cgroups, unmount, file
        // removal) comes after, so `run` returns as soon as the container ended. The container's lock is
        // held until the cleanup is done: a start or rm right after waits for it instead of racing with it.
        DescriptorLock? held = null;
        IDisposable? layersInUse = null;
        bool unlisted = false;
        try
        {
            held = store.Lock(id);
            if (store.Exists(id))
            {
                if (config.AutoRemove)
                {
                    // Keeps a concurrent image removal from deleting the layers still mounted below the root until it is unmounted.
                    layersInUse = HoldLayers();
                    store.Unlist(id);
                    unlisted = true;
                }
                else
                {
                    ContainerState state = store.ReadState(id);
                    // A container its policy may restart keeps this monitor in its state until the monitor has decided
                    // (ContainerLifecycle.RestartByPolicy): wait and stop wait for that instead of taking the pause between
                    // two runs for the end.
                    bool deciding = RestartPolicy.Restarts(config.RestartPolicy);
                    store.WriteState(id, state with
                    {
                        Status = ContainerStatus.Exited,
                        ExitCode = exit.ShellCode,
                        FinishedAt = clock.GetUtcNow(),
                        OomKilled = oomKilled,
                        MonitorPid = deciding ? state.MonitorPid : 0,
                        MonitorStartTime = deciding ? state.MonitorStartTime : 0,
                    });
                }
            }
        }
        catch (Exception e) when (e is SkiffException or IOException)
        {
            // Removed underneath us (rm -f): nothing left to record.
        }

        if (unlisted)
        {
            // docker's `run --rm` returns with the anonymous volumes gone (`volume ls` right after must not
            // list them). The container's mount namespace died with it, so nothing holds them mounted.
            try
            {
                IdmappedVolumes.Detach(config, store);
                volumes?.RemoveAnonymous(config.Mounts);
            }
            catch (Exception e) when (e is SkiffException or IOException)
            {
                // Left for the next prune.
            }
        }

        store.RecordEvent(config, "died", exit.ShellCode);
        relay?.BroadcastExit(exit.ShellCode);
        mountNamespace?.Dispose();
        network?.RemoveNamespaceFiles(config);

        try
        {
            runtime.Delete();

            if (unlisted)
            {
                store.Purge(id, config.CgroupPath);
            }
            else
            {
                // The idmapped sources' staging mounts are in the run directory.
                IdmappedVolumes.Detach(config, store);
                if (config.CgroupPath is not null)
                {
                    // The runtime removes the group on delete; a runtime that does not must not leave empty groups behind.
                    CgroupCleanup.TryRemove(config.CgroupPath, config.SystemdCgroup);
                }

                if (config.RootfsMounts.Count > 0 && new ContainerMounts(store).Count(id) == 0)
                {
                    // A root the user mounted (skiff mount) stays mounted until the user unmounts it.
                    RootfsMounter.TryUnmount(store.RootfsMountPoint(id));
                }
            }
        }
        catch (Exception e) when (e is SkiffException or IOException)
        {
            // What is left is swept by the next removal.
        }
        finally
        {
            // Under the lock: whoever waits for the cleanup (stop, rm) records its own event after these.
            store.RecordEvents(config, unlisted ? ["cleanup", "remove"] : ["cleanup"]);
            layersInUse?.Dispose();
            held?.Dispose();
        }
    }

    /// <summary>A shared hold on the layer store's garbage-collection lock (null when the store has no layers).</summary>
    private IDisposable? HoldLayers()
    {
        string path = Path.Combine(Path.GetDirectoryName(store.ContainersDirectory)!, "layers", ".locks", "gc.lock");
        try
        {
            return File.Exists(path) ? Core.Files.FileLock.Acquire(path, shared: true) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

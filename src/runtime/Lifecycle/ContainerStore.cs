using System.Text.Json;
using Skiff.Core.Errors;
using Skiff.Core.Files;
using Skiff.Runtime.Fds;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// Containers on disk: <c>&lt;root&gt;/containers/&lt;id&gt;/</c> holds config.json, state.json, the bundle and
/// the log; <c>&lt;root&gt;/containers/names/&lt;name&gt;</c> is a symlink to the id, so claiming a name is one
/// atomic symlink(2) and needs no global lock. Runtime files (attach socket, OCI runtime state) live under
/// the runroot. Each container has a lock file; commands that change a container hold it.
/// </summary>
public sealed class ContainerStore(string root, string runRoot)
{
    private const string ConfigFile = "config.json";
    private const string StateFile = "state.json";

    public string ContainersDirectory { get; } = Path.Combine(root, "containers");

    /// <summary>The store's event log (<c>skiff events</c>).</summary>
    public Core.Events.EventLog Events { get; } = Core.Events.EventLog.ForRoot(root);

    /// <summary>Records a container event (podman's: the container's id, name, image and labels).</summary>
    public void RecordEvent(ContainerConfig config, string status, int? exitCode = null) =>
        Events.Write(ContainerEvent(config, status, DateTimeOffset.UtcNow, exitCode));

    /// <summary>Records a healthcheck's outcome: podman's <c>health_status</c> event with the container's health after it.</summary>
    public void RecordHealthStatus(ContainerConfig config, string healthStatus) =>
        Events.Write(ContainerEvent(config, "health_status", DateTimeOffset.UtcNow, null) with { HealthStatus = healthStatus });

    /// <summary>Records events that happened together, in this order, in one write.</summary>
    public void RecordEvents(ContainerConfig config, params string[] statuses)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        Events.Write([.. statuses.Select(s => ContainerEvent(config, s, now, null))]);
    }

    /// <summary>
    /// The exit code of a container removed when it ended (--rm), from the "died" event its monitor recorded before it
    /// was purged; null when the log has none (rotated away). podman keeps removed containers' exit codes for `wait` too.
    /// </summary>
    public int? RemovedExitCode(string id) =>
        Events.ReadAll().LastOrDefault(e => e is { Type: "container", Status: "died" } && e.Id == id)?.ContainerExitCode;

    private static Core.Events.EngineEvent ContainerEvent(ContainerConfig config, string status, DateTimeOffset time, int? exitCode) =>
        new("container", status, time)
        {
            Id = config.Id, Name = config.Name, Image = config.Image, Attributes = config.Labels, ContainerExitCode = exitCode,
        };

    private string NamesDirectory => Path.Combine(ContainersDirectory, "names");

    /// <summary>The OCI runtime's --root: its own state per container.</summary>
    public string RuntimeRoot { get; } = Path.Combine(runRoot, "runtime");

    public string Directory(string id) => Path.Combine(ContainersDirectory, id);

    public string BundleDirectory(string id) => Path.Combine(Directory(id), "bundle");

    public string RootfsMountPoint(string id) => Path.Combine(Directory(id), "rootfs");

    /// <summary>The container's writable layer (a snapshotter's upper/work dirs or copied tree); removed with the container.</summary>
    public string SnapshotDirectory(string id) => Path.Combine(ContainersDirectory, ".snapshots", id);

    public string LogPath(string id) => Path.Combine(Directory(id), "ctr.log");

    /// <summary>Where the container's log is written: its --log-opt path=, else the store's ctr.log.</summary>
    public string LogPath(ContainerConfig config) => config.LogPath ?? LogPath(config.Id);

    public string RunDirectory(string id) => Path.Combine(runRoot, "containers", id);

    /// <summary>
    /// Sockets live in one short directory keyed by an id prefix: sun_path holds only 107 bytes, and a
    /// runroot path plus a 64-digit id would not fit.
    /// </summary>
    public string SocketDirectory { get; } = Path.Combine(runRoot, "s");

    public string AttachSocketPath(string id) => Path.Combine(SocketDirectory, id[..16] + ".attach");

    public string ConsoleSocketPath(string id) => Path.Combine(SocketDirectory, id[..16] + ".console");

    public string PidFilePath(string id) => Path.Combine(RunDirectory(id), "pid");

    /// <summary>The directory of the container's notify socket for --sdnotify=container (short, as the sockets').</summary>
    public string NotifyDirectory(string id) => Path.Combine(SocketDirectory, id[..16] + ".notify");

    /// <summary>The monitor's pid, written by the monitor on each start (podman's conmon.pid): a Type=forking systemd unit's PIDFile.</summary>
    public string MonitorPidFilePath(string id) => Path.Combine(RunDirectory(id), "conmon.pid");

    public ContainerConfig Create(ContainerConfig config)
    {
        System.IO.Directory.CreateDirectory(NamesDirectory);
        // Held while creating: a creator killed half-way releases it, which tells others its staging
        // directory and name are leftovers (see ClaimName and the sweep in Remove).
        string creatingLock = CreatingLockPath(config.Id);
        using DescriptorLock creating = DescriptorLock.Acquire(creatingLock);
        ClaimName(config.Name, config.Id);
        string staging = Path.Combine(ContainersDirectory, $".creating-{config.Id}");
        try
        {
            System.IO.Directory.CreateDirectory(staging);
            System.IO.Directory.CreateDirectory(Path.Combine(staging, "bundle"));
            byte[] configBytes = ContainerConfigJson.Write(config);
            byte[] stateBytes = ContainerStateJson.Write(new ContainerState());
            if (config.AutoRemove)
            {
                // An --rm container does not outlive its run: after a crash there is nothing a user would
                // want back, and a torn record (files renamed before their data reached the disk) is an
                // unreadable config that rm and system check already handle. The fsyncs cost 0.3 ms on a
                // quiet disk and tens of ms while anything else writes.
                AtomicFile.Replace(Path.Combine(staging, ConfigFile), configBytes);
                AtomicFile.Replace(Path.Combine(staging, StateFile), stateBytes);
            }
            else
            {
                AtomicFile.WriteAllBytes(Path.Combine(staging, ConfigFile), configBytes);
                AtomicFile.WriteAllBytes(Path.Combine(staging, StateFile), stateBytes);
            }

            System.IO.Directory.Move(staging, Directory(config.Id));
            File.Delete(creatingLock);
            return config;
        }
        catch
        {
            ReleaseName(config.Name, config.Id);
            Core.Files.DirectoryTree.TryDelete(staging);
            File.Delete(creatingLock);
            throw;
        }
    }

    private string CreatingLockPath(string id) => Path.Combine(ContainersDirectory, $".creating-{id}.lock");

    /// <summary>Whether a create of <paramref name="id"/> is under way (its creator holds the lock); false for a creator that died.</summary>
    private bool CreateInProgress(string id)
    {
        string path = CreatingLockPath(id);
        if (!File.Exists(path))
        {
            return false;
        }

        using DescriptorLock? probe = DescriptorLock.TryAcquire(path);
        return probe is null;
    }

    /// <summary>Deletes what creators killed half-way left behind: staging directories, their lock files and their names.</summary>
    private void SweepAbandonedCreates()
    {
        foreach (string path in System.IO.Directory.EnumerateFileSystemEntries(ContainersDirectory, ".creating-*"))
        {
            string id = Path.GetFileName(path)[".creating-".Length..].Replace(".lock", string.Empty, StringComparison.Ordinal);
            if (!ContainerIds.IsFull(id) || CreateInProgress(id))
            {
                continue;
            }

            Core.Files.DirectoryTree.TryDelete(Path.Combine(ContainersDirectory, $".creating-{id}"));
            try
            {
                File.Delete(CreatingLockPath(id));
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Ids of all containers, in no particular order. Half-created or half-removed entries are skipped.</summary>
    public IReadOnlyList<string> ListIds()
    {
        if (!System.IO.Directory.Exists(ContainersDirectory))
        {
            return [];
        }

        var ids = new List<string>();
        foreach (string path in System.IO.Directory.EnumerateDirectories(ContainersDirectory))
        {
            string name = Path.GetFileName(path);
            if (ContainerIds.IsFull(name))
            {
                ids.Add(name);
            }
        }

        return ids;
    }

    /// <summary>Finds a container by full name, full id or unique id prefix (docker's rules).</summary>
    public string Resolve(string idOrName) =>
        TryResolve(idOrName) ?? throw SkiffException.NotFound($"no container with name or ID \"{idOrName}\" found: no such container");

    public string? TryResolve(string idOrName)
    {
        if (idOrName.Length == 0 || idOrName.Contains('/') || idOrName is "." or "..")
        {
            return null;
        }

        string link = Path.Combine(NamesDirectory, idOrName);
        string? target = new FileInfo(link).LinkTarget;
        if (target is not null && ContainerIds.IsFull(target) && System.IO.Directory.Exists(Directory(target)))
        {
            return target;
        }

        if (ContainerIds.IsFull(idOrName) && System.IO.Directory.Exists(Directory(idOrName)))
        {
            return idOrName;
        }

        if (!idOrName.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        List<string> matches = ListIds().Where(id => id.StartsWith(idOrName, StringComparison.Ordinal)).ToList();
        if (matches.Count > 1)
        {
            throw SkiffException.Conflict($"more than one result for container \"{idOrName}\": use more characters of the ID");
        }

        return matches.Count == 1 ? matches[0] : null;
    }

    public bool Exists(string id) => File.Exists(Path.Combine(Directory(id), ConfigFile));

    public ContainerConfig ReadConfig(string id) =>
        Read(Path.Combine(Directory(id), ConfigFile), static json => ContainerConfigJson.Read(json), id);

    public ContainerState ReadState(string id) =>
        Read(Path.Combine(Directory(id), StateFile), static json => ContainerStateJson.Read(json), id);

    /// <summary>
    /// <see cref="ReadState"/> for listing every container (ps): through <paramref name="reader"/>'s reused
    /// buffer, and null when the container is gone (removed while listed). No lock: the file is only ever
    /// replaced whole by rename, and a container directory appears complete (renamed from its staging one).
    /// </summary>
    /// <exception cref="SkiffException">The file is corrupt or cannot be read.</exception>
    public ContainerState? TryReadState(string id, SmallFileReader reader) =>
        TryRead(id, StateFile, reader, static json => ContainerStateJson.Read(json));

    /// <summary>
    /// The config as a listing shows it (<see cref="ContainerConfigJson.ReadListing"/>: members ps does not print
    /// are left out), read as <see cref="TryReadState"/>.
    /// </summary>
    /// <exception cref="SkiffException">The file is corrupt or cannot be read.</exception>
    public ContainerConfig? TryReadListing(string id, SmallFileReader reader) =>
        TryRead(id, ConfigFile, reader, static json => ContainerConfigJson.ReadListing(json));

    /// <summary>
    /// Records the run state. Not fsynced: it changes at every start and exit, and after a power loss no
    /// container runs anyway, whatever the record says (readers check recorded pids against the processes).
    /// The first state, written at create, is durable.
    /// </summary>
    public void WriteState(string id, ContainerState state) =>
        AtomicFile.Replace(Path.Combine(Directory(id), StateFile), ContainerStateJson.Write(state));

    /// <summary><see cref="WriteState"/> on a start path: returns the old state's second name, to delete off the path (see <see cref="AtomicFile.ReplaceKeepingOld"/>).</summary>
    public string? WriteStateKeepingOld(string id, ContainerState state) =>
        AtomicFile.ReplaceKeepingOld(Path.Combine(Directory(id), StateFile), ContainerStateJson.Write(state));

    public void WriteConfig(ContainerConfig config) =>
        AtomicFile.WriteAllBytes(Path.Combine(Directory(config.Id), ConfigFile), ContainerConfigJson.Write(config));

    /// <summary>The container's lock: held by commands that change its state (start, stop, rm, rename).</summary>
    public DescriptorLock Lock(string id) => DescriptorLock.Acquire(Path.Combine(Directory(id), "lock"));

    public void Rename(string id, string newName)
    {
        ContainerConfig config = ReadConfig(id);
        ClaimName(newName, id);
        WriteConfig(config with { Name = newName });
        ReleaseName(config.Name, id);
    }

    /// <summary>
    /// Removes the container's files. The directory is first renamed away so that a crash half-way leaves
    /// no entry that looks like a container; leftovers are deleted by the next removal.
    /// </summary>
    public void Remove(string id)
    {
        string? name = null;
        string? cgroup = null;
        try
        {
            ContainerConfig config = ReadConfig(id);
            name = config.Name;
            cgroup = config.CgroupPath;
            ContainerPidFile.TryRemove(config.PidFile);
        }
        catch (SkiffException)
        {
            // A container whose config is unreadable is still removed.
        }

        string doomed = Path.Combine(ContainersDirectory, $".removing-{id}");
        if (System.IO.Directory.Exists(Directory(id)))
        {
            // An image container's root may still be mounted if its monitor has not finished (rm -f), or by the user
            // (skiff mount, podman's rm unmounts it too), and both at once when the monitor mounted over the user's.
            for (int i = 0; i < 4 && RootfsMounter.TryUnmount(RootfsMountPoint(id)); i++)
            {
            }
            System.IO.Directory.Move(Directory(id), doomed);
        }

        if (cgroup is not null)
        {
            // Normally gone with the runtime's delete; after a killed monitor this is what removes it.
            Cgroups.CgroupCleanup.TryRemove(cgroup);
        }

        if (name is not null)
        {
            ReleaseName(name, id);
        }

        Core.Files.DirectoryTree.TryDelete(doomed);
        Core.Files.DirectoryTree.TryDelete(SnapshotDirectory(id));
        Core.Files.DirectoryTree.TryDelete(RunDirectory(id));
        SweepLeftovers();
    }

    /// <summary>Deletes the snapshot prepared for a container that was refused before it was stored.</summary>
    public void DiscardSnapshot(string id) => Core.Files.DirectoryTree.TryDelete(SnapshotDirectory(id));

    /// <summary>
    /// The first half of an --rm removal, done as soon as the container exited: the record disappears
    /// (renamed to <c>.removing-ID</c>, so ps no longer lists it and its id no longer resolves) and the
    /// name is free again. <see cref="Purge"/> then does the slow part (unmount, file removal) once the
    /// exit has been reported. A monitor killed in between leaves a <c>.removing-</c> directory, which
    /// the next removal sweeps (unmounting a root still mounted in it).
    /// </summary>
    public void Unlist(string id)
    {
        string? name = null;
        try
        {
            ContainerConfig config = ReadConfig(id);
            name = config.Name;
            ContainerPidFile.TryRemove(config.PidFile);
        }
        catch (SkiffException)
        {
        }

        if (System.IO.Directory.Exists(Directory(id)))
        {
            System.IO.Directory.Move(Directory(id), RemovingDirectory(id));
        }

        if (name is not null)
        {
            // Moved into the doomed directory rather than deleted: the link (a 64-byte target, too long to live
            // in the inode) has a data block, and ext4 without a journal discards freed blocks synchronously, on
            // the way to reporting the exit. Purge deletes it with the rest.
            ReleaseName(name, id, System.IO.Directory.Exists(RemovingDirectory(id)) ? Path.Combine(RemovingDirectory(id), ".name") : null);
        }
    }

    /// <summary>The second half after <see cref="Unlist"/>: unmounts the root and deletes what is left of the container.</summary>
    public void Purge(string id, string? cgroup)
    {
        string doomed = RemovingDirectory(id);
        RootfsMounter.TryUnmount(Path.Combine(doomed, "rootfs"));
        if (cgroup is not null)
        {
            Cgroups.CgroupCleanup.TryRemove(cgroup);
        }

        Core.Files.DirectoryTree.TryDelete(doomed);
        Core.Files.DirectoryTree.TryDelete(SnapshotDirectory(id));
        Core.Files.DirectoryTree.TryDelete(RunDirectory(id));
        SweepLeftovers();
    }

    /// <summary>What removals and creates killed half-way left behind.</summary>
    private void SweepLeftovers()
    {
        foreach (string leftover in System.IO.Directory.EnumerateDirectories(ContainersDirectory, ".removing-*"))
        {
            SweepRemoving(leftover);
        }

        SweepAbandonedCreates();
    }

    private string RemovingDirectory(string id) => Path.Combine(ContainersDirectory, $".removing-{id}");

    /// <summary>
    /// Deletes a <c>.removing-</c> leftover. Its root may still be mounted when an --rm container's monitor
    /// was killed between <see cref="Unlist"/> and <see cref="Purge"/>: unmount it first, or the deletion
    /// would walk into the image's files through the overlay. A leftover whose monitor is still purging
    /// it is deleted by both, which tolerate each other.
    /// </summary>
    private void SweepRemoving(string leftover)
    {
        RootfsMounter.TryUnmount(Path.Combine(leftover, "rootfs"));
        // Its cgroup too: the monitor was killed before Purge removed it, and nothing else records it.
        if (TryReadLeftoverConfig(leftover) is { CgroupPath: { } cgroup } config)
        {
            Cgroups.CgroupCleanup.TryRemove(cgroup, config.SystemdCgroup);
        }

        Core.Files.DirectoryTree.TryDelete(leftover);
        string id = Path.GetFileName(leftover)[".removing-".Length..];
        if (ContainerIds.IsFull(id) && !System.IO.Directory.Exists(Directory(id)))
        {
            Core.Files.DirectoryTree.TryDelete(SnapshotDirectory(id));
        }
    }

    /// <summary>The configuration in a <c>.removing-</c> leftover; null when it is missing or unreadable.</summary>
    private static ContainerConfig? TryReadLeftoverConfig(string leftover)
    {
        try
        {
            return ContainerConfigJson.Read(File.ReadAllBytes(Path.Combine(leftover, ConfigFile)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private void ClaimName(string name, string id)
    {
        string link = Path.Combine(NamesDirectory, name);
        while (true)
        {
            try
            {
                File.CreateSymbolicLink(link, id);
                return;
            }
            catch (IOException) when (new FileInfo(link).LinkTarget is string owner)
            {
                if (System.IO.Directory.Exists(Directory(owner)) || CreateInProgress(owner))
                {
                    throw SkiffException.Conflict(
                        $"the container name \"{name}\" is already in use by {owner}. You have to remove (or rename) that container to be able to reuse that name: that name is already in use",
                        $"remove it with 'skiff rm {name}' or choose another --name");
                }

                // A name left behind by a creator killed before it finished.
                Core.Files.DirectoryTree.TryDelete(Path.Combine(ContainersDirectory, $".creating-{owner}"));
                File.Delete(link);
            }
        }
    }

    private void ReleaseName(string name, string id, string? trash = null)
    {
        string link = Path.Combine(NamesDirectory, name);
        if (new FileInfo(link).LinkTarget == id)
        {
            if (trash is not null)
            {
                File.Move(link, trash, overwrite: true);
            }
            else
            {
                File.Delete(link);
            }
        }
    }

    private static T Read<T>(string path, Func<byte[], T?> parse, string id)
    {
        try
        {
            return parse(File.ReadAllBytes(path)) ?? throw Empty(id, path);
        }
        catch (FileNotFoundException)
        {
            throw SkiffException.NotFound($"no container with name or ID \"{id}\" found: no such container");
        }
        catch (DirectoryNotFoundException)
        {
            throw SkiffException.NotFound($"no container with name or ID \"{id}\" found: no such container");
        }
        catch (JsonException e)
        {
            throw Corrupt(id, path, e);
        }
    }

    private T? TryRead<T>(string id, string file, SmallFileReader reader, Func<ReadOnlySpan<byte>, T?> parse)
        where T : class
    {
        string path = Path.Combine(Directory(id), file);
        if (!reader.TryRead(path, out ReadOnlySpan<byte> json))
        {
            return null;
        }

        try
        {
            return parse(json) ?? throw Empty(id, path);
        }
        catch (JsonException e)
        {
            throw Corrupt(id, path, e);
        }
    }

    private static SkiffException Empty(string id, string path) => SkiffException.Internal($"container {id}: {Path.GetFileName(path)} is empty");

    private static SkiffException Corrupt(string id, string path, JsonException e) =>
        SkiffException.Internal($"container {id}: {Path.GetFileName(path)} is corrupt: {e.Message}", e);
}

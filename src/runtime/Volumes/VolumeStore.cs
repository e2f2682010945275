using System.Text.Json;
using Skiff.Core.Errors;
using Skiff.Core.Files;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Runtime.Volumes;

/// <summary>
/// Local volumes on disk, laid out as podman does: <c>&lt;root&gt;/volumes/&lt;name&gt;/_data</c> is what
/// containers mount, <c>volume.json</c> beside it is the record. A volume appears by one rename of a
/// fully written staging directory and disappears by one rename away, so a crash never leaves a half
/// volume that lists. Rootless, the store is the user's and the data belongs to the container's root
/// (the user's own uid, which skiff's user namespace maps to 0). With an event log, every volume created or removed
/// here is recorded (podman's <c>volume create</c>/<c>remove</c>, anonymous volumes of run -v, rm -v and --rm included).
/// </summary>
public sealed class VolumeStore(string root)
{
    /// <summary>Where creations and removals are recorded; null records nothing.</summary>
    public Core.Events.EventLog? Events { get; init; }

    private const string RecordFile = "volume.json";
    private const string DataDirectory = "_data";

    public string VolumesDirectory { get; } = Path.Combine(root, "volumes");

    public string DataPath(string name) => Path.Combine(VolumesDirectory, name, DataDirectory);

    /// <summary>
    /// Serializes changes that must see a consistent set of containers and volumes: removing a volume
    /// (after checking nobody uses it) and creating a container that mounts volumes.
    /// </summary>
    public DescriptorLock Lock()
    {
        System.IO.Directory.CreateDirectory(VolumesDirectory);
        return DescriptorLock.Acquire(Path.Combine(VolumesDirectory, ".lock"));
    }

    /// <param name="name">The volume's name, or null for a random one (anonymous volumes, <c>volume create</c> without a name).</param>
    public VolumeRecord Create(string? name, IReadOnlyDictionary<string, string>? labels = null, IReadOnlyDictionary<string, string>? options = null, bool anonymous = false)
    {
        var record = new VolumeRecord
        {
            Name = name is null ? VolumeNames.Random() : VolumeNames.Validate(name),
            CreatedAt = DateTimeOffset.UtcNow,
            Labels = labels ?? new Dictionary<string, string>(),
            Options = options ?? new Dictionary<string, string>(),
            Anonymous = anonymous,
        };
        System.IO.Directory.CreateDirectory(VolumesDirectory);
        string target = Path.Combine(VolumesDirectory, record.Name);
        if (System.IO.Directory.Exists(target))
        {
            throw Exists(record.Name);
        }

        string staging = Path.Combine(VolumesDirectory, $".creating-{record.Name}-{Environment.ProcessId}");
        try
        {
            System.IO.Directory.CreateDirectory(staging);

            System.IO.Directory.CreateDirectory(Path.Combine(staging, DataDirectory));
            AtomicFile.WriteAllBytes(Path.Combine(staging, RecordFile), JsonSerializer.SerializeToUtf8Bytes(record, VolumeJsonContext.Default.VolumeRecord));

            // rename(2) onto an existing non-empty directory fails: two creators of one name cannot both win.
            System.IO.Directory.Move(staging, target);
            Record("create", record.Name);
            return record;
        }
        catch (IOException) when (System.IO.Directory.Exists(target))
        {
            Core.Files.DirectoryTree.TryDelete(staging);
            throw Exists(record.Name);
        }
        catch
        {
            Core.Files.DirectoryTree.TryDelete(staging);
            throw;
        }
    }

    /// <summary>The named volume, created when missing (docker's first use of <c>-v NAME:/dst</c>).</summary>
    public VolumeRecord GetOrCreate(string name)
    {
        if (TryGet(name) is VolumeRecord existing)
        {
            return existing;
        }

        try
        {
            return Create(name);
        }
        catch (SkiffException e) when (e.Kind == ErrorKind.AlreadyExists)
        {
            return Get(name);
        }
    }

    public VolumeRecord Get(string name) =>
        TryGet(name) ?? throw SkiffException.NotFound($"no volume with name \"{name}\" found: no such volume");

    public VolumeRecord? TryGet(string name)
    {
        if (!VolumeNames.IsValid(name))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(VolumesDirectory, name, RecordFile)), VolumeJsonContext.Default.VolumeRecord);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException e)
        {
            throw SkiffException.Internal($"volume {name}: {RecordFile} is corrupt: {e.Message}", e);
        }
    }

    /// <summary>All volumes, by name. Staging and half-removed entries are skipped.</summary>
    public IReadOnlyList<VolumeRecord> List()
    {
        if (!System.IO.Directory.Exists(VolumesDirectory))
        {
            return [];
        }

        var result = new List<VolumeRecord>();
        foreach (string path in System.IO.Directory.EnumerateDirectories(VolumesDirectory))
        {
            string name = Path.GetFileName(path);
            if (VolumeNames.IsValid(name) && TryGet(name) is VolumeRecord record)
            {
                result.Add(record);
            }
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return result;
    }

    /// <summary>Records that the volume's first container started (copy-up is done or was not needed).</summary>
    public void MarkCopiedUp(string name)
    {
        if (TryGet(name) is { NeedsCopyUp: true } record)
        {
            AtomicFile.WriteAllBytes(Path.Combine(VolumesDirectory, name, RecordFile), JsonSerializer.SerializeToUtf8Bytes(record with { NeedsCopyUp = false }, VolumeJsonContext.Default.VolumeRecord));
        }
    }

    /// <summary>Removes the volume and its data; the caller has checked that no container uses it.</summary>
    public void Remove(string name)
    {
        Get(name);
        string doomed = Path.Combine(VolumesDirectory, $".removing-{name}-{Environment.ProcessId}");
        System.IO.Directory.Move(Path.Combine(VolumesDirectory, name), doomed);
        Record("remove", name);
        Core.Files.DirectoryTree.TryDelete(doomed);
        foreach (string leftover in System.IO.Directory.EnumerateDirectories(VolumesDirectory, ".removing-*"))
        {
            Core.Files.DirectoryTree.TryDelete(leftover);
        }
    }

    /// <summary>Removes the anonymous volumes among <paramref name="mounts"/> (rm -v, --rm); named volumes and those another container's were (--volumes-from) stay.</summary>
    public void RemoveAnonymous(IEnumerable<ContainerMount> mounts)
    {
        foreach (ContainerMount mount in mounts)
        {
            if (mount.Type == "volume" && mount.Name is not null && mount.FromContainer is null && TryGet(mount.Name) is { Anonymous: true })
            {
                Remove(mount.Name);
            }
        }
    }

    private void Record(string status, string name) =>
        Events?.Write(new Core.Events.EngineEvent("volume", status, DateTimeOffset.UtcNow) { Name = name });

    private static SkiffException Exists(string name) =>
        SkiffException.AlreadyExists($"volume with name {name} already exists: volume already exists", "choose another name, or remove it with 'skiff volume rm " + name + "'");
}

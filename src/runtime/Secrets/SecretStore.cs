using System.Text.Json;
using Skiff.Core.Errors;
using Skiff.Core.Files;
using Skiff.Runtime.Fds;

namespace Skiff.Runtime.Secrets;

/// <summary>
/// Secrets on disk: <c>&lt;root&gt;/secrets/&lt;name&gt;/</c> holds <c>secret.json</c> (the record) and <c>data</c> (the
/// value), the directories 0700 and the files 0600, so only the store's owner reads a value. A secret appears by one
/// rename of a fully written staging directory and disappears by one rename away, so a crash never leaves a half
/// secret that lists, and two creators of one name cannot both win. Values are never put in an error message.
/// </summary>
public sealed class SecretStore(string root)
{
    /// <summary>podman's default driver, the only one skiff has.</summary>
    public const string FileDriver = "file";

    /// <summary>podman's bounds on a value: more than 0 and less than 512000 bytes.</summary>
    public const int MaxDataLength = 512000;

    private const string RecordFile = "secret.json";
    private const string DataFile = "data";
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string SecretsDirectory { get; } = Path.Combine(root, "secrets");

    /// <summary>Serializes creations and removals, so that a name checked free stays free until it is taken.</summary>
    public DescriptorLock Lock()
    {
        EnsureDirectory();
        return DescriptorLock.Acquire(Path.Combine(SecretsDirectory, ".lock"));
    }

    /// <summary>Stores a new secret; refuses a name in use, an invalid name and a value out of podman's bounds.</summary>
    public SecretRecord Create(string name, ReadOnlySpan<byte> data, IReadOnlyDictionary<string, string>? labels = null, IReadOnlyDictionary<string, string>? driverOptions = null)
    {
        SecretNames.Validate(name);
        CheckData(data.Length);
        using DescriptorLock held = Lock();
        if (TryGet(name) is not null)
        {
            throw InUse(name);
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        var options = new Dictionary<string, string>(driverOptions ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        options.TryAdd("path", SecretsDirectory);
        var record = new SecretRecord
        {
            Id = NewUniqueId(),
            Name = name,
            CreatedAt = now,
            UpdatedAt = now,
            DriverOptions = options,
            Labels = labels ?? new Dictionary<string, string>(),
        };

        string target = Path.Combine(SecretsDirectory, name);
        string staging = Path.Combine(SecretsDirectory, $".creating-{name}-{Environment.ProcessId}");
        try
        {
            CreateOwnerOnlyDirectory(staging);
            WriteOwnerOnly(Path.Combine(staging, DataFile), data);
            WriteOwnerOnly(Path.Combine(staging, RecordFile), JsonSerializer.SerializeToUtf8Bytes(record, SecretJsonContext.Default.SecretRecord));
            AtomicFile.SyncDirectory(staging);

            // rename(2) onto an existing non-empty directory fails: a name is taken once.
            System.IO.Directory.Move(staging, target);
            AtomicFile.SyncDirectory(SecretsDirectory);
            return record;
        }
        catch (IOException) when (System.IO.Directory.Exists(target))
        {
            DirectoryTree.TryDelete(staging);
            throw InUse(name);
        }
        catch
        {
            DirectoryTree.TryDelete(staging);
            throw;
        }
    }

    /// <summary>The secret named <paramref name="nameOrId"/>, else the one whose id is or starts with it (podman's lookup).</summary>
    public SecretRecord Get(string nameOrId) =>
        TryGet(nameOrId) ?? throw NotFound(nameOrId);

    public SecretRecord? TryGet(string nameOrId)
    {
        if (SecretNames.IsValid(nameOrId) && Read(nameOrId) is SecretRecord byName)
        {
            return byName;
        }

        if (!SecretNames.IsIdPrefix(nameOrId))
        {
            return null;
        }

        List<SecretRecord> matches = List().Where(s => s.Id.StartsWith(nameOrId, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            0 => null,
            1 => matches[0],
            _ => matches.Find(s => s.Id == nameOrId) ?? throw SkiffException.Conflict(
                $"more than one result secret with prefix {nameOrId}: secret is ambiguous", "give more of the id, or the name"),
        };
    }

    /// <summary>The secret's value. For the engine only: it goes into a container's own copy, never to output.</summary>
    public byte[] ReadData(SecretRecord record)
    {
        try
        {
            return File.ReadAllBytes(Path.Combine(SecretsDirectory, record.Name, DataFile));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw NotFound(record.Name);
        }
    }

    /// <summary>All secrets, by creation time. Staging and half-removed entries are skipped.</summary>
    public IReadOnlyList<SecretRecord> List()
    {
        if (!System.IO.Directory.Exists(SecretsDirectory))
        {
            return [];
        }

        var result = new List<SecretRecord>();
        foreach (string path in System.IO.Directory.EnumerateDirectories(SecretsDirectory))
        {
            string name = Path.GetFileName(path);
            if (SecretNames.IsValid(name) && Read(name) is SecretRecord record)
            {
                result.Add(record);
            }
        }

        result.Sort((a, b) => a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : string.CompareOrdinal(a.Name, b.Name));
        return result;
    }

    /// <summary>Removes the secret; containers that use it keep their own copies (podman 4.3 allows this too).</summary>
    public SecretRecord Remove(string nameOrId)
    {
        using DescriptorLock held = Lock();
        SecretRecord record = Get(nameOrId);
        string doomed = Path.Combine(SecretsDirectory, $".removing-{record.Name}-{Environment.ProcessId}");
        System.IO.Directory.Move(Path.Combine(SecretsDirectory, record.Name), doomed);
        DirectoryTree.TryDelete(doomed);
        foreach (string leftover in System.IO.Directory.EnumerateDirectories(SecretsDirectory, ".removing-*"))
        {
            DirectoryTree.TryDelete(leftover);
        }

        return record;
    }

    /// <summary>podman's error for a value that is empty or too large.</summary>
    public static void CheckData(int length)
    {
        if (length is <= 0 or >= MaxDataLength)
        {
            throw SkiffException.InvalidArgument(
                $"secret data must be larger than 0 and less than {MaxDataLength} bytes",
                "give a non-empty value smaller than 500 KiB");
        }
    }

    public static SkiffException NotFound(string nameOrId) =>
        SkiffException.NotFound($"no secret with name or id \"{nameOrId}\": no such secret", "list the secrets with 'skiff secret ls', or create it with 'skiff secret create'");

    private static SkiffException InUse(string name) =>
        SkiffException.AlreadyExists($"{name}: secret name in use", $"choose another name, or remove it first with 'skiff secret rm {name}'");

    private SecretRecord? Read(string name)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(SecretsDirectory, name, RecordFile)), SecretJsonContext.Default.SecretRecord);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException e)
        {
            throw SkiffException.Internal($"secret {name}: {RecordFile} is corrupt: {e.Message}", e);
        }
    }

    private string NewUniqueId()
    {
        while (true)
        {
            string id = SecretNames.NewId();
            if (!List().Any(s => s.Id == id))
            {
                return id;
            }
        }
    }

    private void EnsureDirectory() => CreateOwnerOnlyDirectory(SecretsDirectory);

    private static void CreateOwnerOnlyDirectory(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException();
        }

        System.IO.Directory.CreateDirectory(path, OwnerOnlyDirectory);
    }

    private static void WriteOwnerOnly(string path, ReadOnlySpan<byte> content)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException();
        }

        using var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFile });
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }
}

using System.Runtime.InteropServices;
using System.Text.Json;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Containers;

/// <summary>
/// The runtime's state root (like crun's --root): one directory per container holding state.json and,
/// until the container is started, exec.fifo. It lives on tmpfs (/run), so no fsync is needed.
/// </summary>
public sealed class ContainerStore(string root)
{
    public const string StateFile = "state.json";
    public const string FifoFile = "exec.fifo";

    public string Root { get; } = root;

    public string DirectoryOf(string id) => Path.Combine(Root, id);

    public string FifoOf(string id) => Path.Combine(DirectoryOf(id), FifoFile);

    /// <summary>
    /// Creates the container's directory (0711, so an init running as a mapped root can reach the
    /// fifo through its directory descriptor) and the exec fifo (0622, as runc).
    /// </summary>
    public string Create(string id)
    {
        ContainerId.Validate(id);
        if (!OperatingSystem.IsLinux())
        {
            throw SkiffException.PrerequisiteMissing("containers need Linux");
        }

        Directory.CreateDirectory(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string directory = DirectoryOf(id);
        if (Directory.Exists(directory))
        {
            throw SkiffException.AlreadyExists($"container `{id}` already exists", "choose another id or delete the old container");
        }

        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        string fifo = FifoOf(id);
        if (Libc.mkfifo(fifo, 0x192) != 0)
        {
            throw new SystemCallException("mkfifo", fifo, Marshal.GetLastPInvokeError());
        }

        File.SetUnixFileMode(fifo, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite);
        return directory;
    }

    public void Save(ContainerRecord record)
    {
        string path = Path.Combine(DirectoryOf(record.Id), StateFile);
        string temporary = path + ".tmp";
        File.WriteAllBytes(temporary, ContainerRecordJson.Write(record));
        File.Move(temporary, path, overwrite: true);
    }

    public ContainerRecord Load(string id)
    {
        ContainerId.Validate(id);
        string path = Path.Combine(DirectoryOf(id), StateFile);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw SkiffException.NotFound($"container `{id}` does not exist");
        }

        try
        {
            return ContainerRecordJson.Read(bytes)
                ?? throw SkiffException.Internal($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw SkiffException.Internal($"{path} is corrupt: {e.Message}");
        }
    }

    public IEnumerable<string> List() =>
        Directory.Exists(Root) ? Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>() : [];

    public void Remove(string id)
    {
        string directory = DirectoryOf(id);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>created while the fifo waits for `start`, running once it is gone, paused while frozen, stopped when the init has exited.</summary>
    public string StatusOf(ContainerRecord record)
    {
        if (!IsAlive(record))
        {
            return "stopped";
        }

        if (record.Paused)
        {
            return "paused";
        }

        return File.Exists(FifoOf(record.Id)) ? "created" : "running";
    }

    public static bool IsAlive(ContainerRecord record) => StatOf(record) is { State: not ('Z' or 'X' or 'x') };

    /// <summary>How the record's init ended while it waits to be reaped (see <see cref="ProcessStat.DescribeEnd"/>).</summary>
    public static string? EndOf(ContainerRecord record) => StatOf(record)?.DescribeEnd();

    /// <summary>The record's own process (its pid, started when the record says: not a later one that reused the pid); null when gone.</summary>
    private static ProcessStat? StatOf(ContainerRecord record) =>
        record.Pid > 0 && ProcessStat.TryRead(record.Pid) is ProcessStat stat && stat.StartTime == record.StartTime ? stat : null;
}

using System.Globalization;
using System.Text.Json;
using Skiff.Core.Errors;
using Skiff.Core.Files;
using Skiff.Runtime.Fds;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// User-defined networks: <c>ROOT/networks/NAME.json</c> records (podman's file shape) and, under the run
/// root, the containers connected to each network now. One lock serializes creating and removing networks,
/// address allocation (which reads the container records) and the connected lists.
/// </summary>
public sealed class NetworkStore(string root, string runRoot)
{
    public string NetworksDirectory { get; } = Path.Combine(root, "networks");

    public string RunDirectory { get; } = Path.Combine(runRoot, "networks");

    public DescriptorLock Lock()
    {
        Directory.CreateDirectory(NetworksDirectory);
        return DescriptorLock.Acquire(Path.Combine(NetworksDirectory, ".lock"));
    }

    public static SkiffException NotFoundError(string nameOrId) =>
        SkiffException.NotFound($"unable to find network with name or ID {nameOrId}: network not found", "list networks with 'skiff network ls', or create it with 'skiff network create'");

    /// <summary>Stores a new network; the caller holds <see cref="Lock"/>.</summary>
    public void Create(NetworkRecord record)
    {
        Directory.CreateDirectory(NetworksDirectory);
        if (File.Exists(RecordPath(record.Name)))
        {
            throw SkiffException.AlreadyExists($"network name {record.Name} already used: network already exists", "choose another name, or remove the existing network first");
        }

        AtomicFile.WriteAllBytes(RecordPath(record.Name), JsonSerializer.SerializeToUtf8Bytes(record, NetworkJsonContext.Default.NetworkRecord));
    }

    public IReadOnlyList<NetworkRecord> List()
    {
        if (!Directory.Exists(NetworksDirectory))
        {
            return [];
        }

        var records = new List<NetworkRecord>();
        foreach (string file in Directory.EnumerateFiles(NetworksDirectory, "*.json"))
        {
            if (TryRead(file) is NetworkRecord record)
            {
                records.Add(record);
            }
        }

        return records.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>By exact name, full id, or a unique id prefix (as podman resolves networks).</summary>
    public NetworkRecord? TryFind(string nameOrId)
    {
        if (nameOrId.Length == 0 || nameOrId.Contains('/'))
        {
            return null;
        }

        if (TryRead(RecordPath(nameOrId)) is NetworkRecord byName)
        {
            return byName;
        }

        List<NetworkRecord> byId = List().Where(r => r.Id.StartsWith(nameOrId, StringComparison.Ordinal)).ToList();
        return byId.Count == 1 ? byId[0] : null;
    }

    public NetworkRecord Find(string nameOrId) => TryFind(nameOrId) ?? throw NotFoundError(nameOrId);

    public void Remove(string name)
    {
        File.Delete(RecordPath(name));
        try
        {
            File.Delete(EndpointsPath(name));
        }
        catch (DirectoryNotFoundException)
        {
            // No container ever connected: there is no run directory.
        }
    }

    /// <summary>skiffN with the lowest N from 1 that no network uses (podman names its bridges podman1, podman2, ...).</summary>
    public string NextInterfaceName()
    {
        var used = List().Select(r => r.NetworkInterface).ToHashSet(StringComparer.Ordinal);
        for (int n = 1; ; n++)
        {
            string name = "skiff" + n.ToString(CultureInfo.InvariantCulture);
            // A device of that name in this namespace (another store's network, as root) is taken too.
            if (!used.Contains(name) && !Directory.Exists(Path.Combine("/sys/class/net", name)))
            {
                return name;
            }
        }
    }

    /// <summary>The containers connected to the network now; the caller holds <see cref="Lock"/>.</summary>
    public List<NetworkEndpointEntry> ReadEndpoints(string name)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(EndpointsPath(name)), NetworkJsonContext.Default.ListNetworkEndpointEntry) ?? [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return [];
        }
    }

    /// <summary>Every network's connected list, by network name; the caller holds <see cref="Lock"/>.</summary>
    public IReadOnlyDictionary<string, List<NetworkEndpointEntry>> ReadAllEndpoints()
    {
        var all = new Dictionary<string, List<NetworkEndpointEntry>>(StringComparer.Ordinal);
        if (!Directory.Exists(RunDirectory))
        {
            return all;
        }

        foreach (string file in Directory.EnumerateFiles(RunDirectory, "*" + EndpointsSuffix))
        {
            string name = Path.GetFileName(file)[..^EndpointsSuffix.Length];
            all[name] = ReadEndpoints(name);
        }

        return all;
    }

    public void WriteEndpoints(string name, IReadOnlyList<NetworkEndpointEntry> endpoints)
    {
        Directory.CreateDirectory(RunDirectory);
        AtomicFile.WriteAllBytes(EndpointsPath(name), JsonSerializer.SerializeToUtf8Bytes(endpoints.ToList(), NetworkJsonContext.Default.ListNetworkEndpointEntry));
    }

    private string RecordPath(string name) => Path.Combine(NetworksDirectory, name + ".json");

    private const string EndpointsSuffix = ".endpoints.json";

    private string EndpointsPath(string name) => Path.Combine(RunDirectory, name + EndpointsSuffix);

    private static NetworkRecord? TryRead(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), NetworkJsonContext.Default.NetworkRecord);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException e)
        {
            throw SkiffException.Internal($"network file {path} is corrupt: {e.Message}", e);
        }
    }
}

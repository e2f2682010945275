using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Lifecycle;

/// <summary>Stored container configs from earlier builds still read, so ps and inspect keep working.</summary>
public sealed class ContainerConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("skiff-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_stored_null_port_list_reads_as_no_ports()
    {
        var store = new ContainerStore(Path.Combine(_dir, "root"), Path.Combine(_dir, "run"));
        string id = new string('a', 64);
        store.Create(new ContainerConfig { Id = id, Name = "old", Created = DateTimeOffset.UnixEpoch, Image = "busybox", Runtime = "runc" });
        string path = Path.Combine(store.Directory(id), "config.json");
        string json = File.ReadAllText(path);
        Assert.Contains("\"ports\": []", json, StringComparison.Ordinal);
        File.WriteAllText(path, json.Replace("\"ports\": []", "\"ports\": null", StringComparison.Ordinal));

        Assert.Empty(store.ReadConfig(id).Ports);
    }
}

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

    [Fact]
    public void A_stored_single_network_endpoint_reads_as_a_one_element_list_and_is_written_as_the_list()
    {
        var store = new ContainerStore(Path.Combine(_dir, "root"), Path.Combine(_dir, "run"));
        string id = new string('b', 64);
        store.Create(new ContainerConfig { Id = id, Name = "old", Created = DateTimeOffset.UnixEpoch, Image = "busybox", Runtime = "runc", NetworkMode = "mynet" });
        string path = Path.Combine(store.Directory(id), "config.json");
        string json = File.ReadAllText(path);
        Assert.Contains("\"networkEndpoints\": []", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"networkEndpoint\":", json, StringComparison.Ordinal);

        // The shape written before containers could be on several networks.
        const string legacy = """
            "networkEndpoint": {
              "network": "mynet",
              "networkId": "abc",
              "ipAddress": "10.89.0.2",
              "prefixLength": 24,
              "gateway": "10.89.0.1",
              "aliases": ["db"],
              "bridge": "skiff1",
              "internal": false
            }
            """;
        File.WriteAllText(path, json.Replace("\"networkEndpoints\": []", legacy, StringComparison.Ordinal));

        ContainerConfig read = store.ReadConfig(id);
        NetworkEndpoint endpoint = Assert.Single(read.NetworkEndpoints);
        Assert.Equal("10.89.0.2", endpoint.IPAddress);
        Assert.Equal(["db"], endpoint.Aliases);
        Assert.Equal("eth0", endpoint.InterfaceName);
        Assert.Equal("skiff1", endpoint.Bridge);

        // Written again (rename, network connect), it is the list.
        store.WriteConfig(read with { Name = "renamed" });
        string rewritten = File.ReadAllText(path);
        Assert.Contains("\"networkEndpoints\": [", rewritten, StringComparison.Ordinal);
        Assert.DoesNotContain("\"networkEndpoint\":", rewritten, StringComparison.Ordinal);
        Assert.Equal("10.89.0.2", Assert.Single(store.ReadConfig(id).NetworkEndpoints).IPAddress);

        // A connect replaces the list, whatever was read.
        ContainerConfig two = read with { NetworkEndpoints = [endpoint, endpoint with { Network = "other", Interface = "eth1" }] };
        Assert.Equal(["eth0", "eth1"], two.NetworkEndpoints.Select(e => e.InterfaceName));
    }
}

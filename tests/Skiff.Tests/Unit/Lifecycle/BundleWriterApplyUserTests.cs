using System.Text.Json.Nodes;
using Skiff.Core.IdMaps;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Lifecycle;

/// <summary>
/// The monitor's rewrite of config.json once the user is resolved: the user, its capabilities, HOME and the account
/// file copies change; every other member the CLI wrote is kept as written (it goes through RuntimeSpec now).
/// </summary>
public sealed class BundleWriterApplyUserTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("skiff-applyuser-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ContainerConfig Config(char id) => new()
    {
        Id = new string(id, 64), Name = "u" + id, Created = DateTimeOffset.UnixEpoch, Image = "busybox", Runtime = "runc",
        Cmd = ["sh", "-c", "echo \u00e9 '<+>'"], Env = ["PATH=/bin", "A=b=c"], NetworkMode = "pasta", Hostname = "h",
        User = "app", GroupAdd = ["wheel"], Tty = true, Init = true, InitPath = "/usr/libexec/skiff-init",
        Labels = new Dictionary<string, string> { ["l"] = "v" }, Sysctls = new Dictionary<string, string> { ["kernel.sem"] = "1 2 3 4" },
        Mounts = [new ContainerMount("tmpfs", "", "/t", null, ["size=1m"]), new ContainerMount("bind", "/src", "/b", null, ["ro"])],
        Ulimits = ["nofile=100:200"], Resources = new CgroupResources(Memory: 1 << 30, CpuShares: 512, PidsLimit: 50, BlkioWeight: 300),
        CgroupPath = "skiff/" + new string(id, 64), CapAdd = ["NET_ADMIN"], CapDrop = ["CHOWN"],
        IdMappings = new IdMap([new IdMapping(0, 100000, 65536)], [new IdMapping(0, 100000, 65536)]),
    };

    [Theory]
    [InlineData('a', 0u, "/root", false)]
    [InlineData('b', 1000u, "/home/app", true)]
    public void Only_the_users_members_change(char id, uint uid, string home, bool copies)
    {
        ContainerConfig config = Config(id);
        var store = new ContainerStore(Path.Combine(_dir, "root"), Path.Combine(_dir, "run"));
        store.Create(config);
        var writer = new BundleWriter(store);
        writer.Write(config, rootless: false, new Skiff.Runtime.Terminal.TerminalSize(24, 80));
        string path = Path.Combine(store.BundleDirectory(config.Id), "config.json");
        JsonNode expected = JsonNode.Parse(File.ReadAllText(path))!;

        writer.ApplyUser(config, new ContainerUser(uid, uid, [uid, 10], home), copies ? ["passwd", "group"] : null);

        JsonNode process = expected["process"]!;
        // The umask written with the bundle stays.
        process["user"] = new JsonObject { ["uid"] = uid, ["gid"] = uid, ["umask"] = BundleWriter.DefaultUmask, ["additionalGids"] = new JsonArray(uid, 10u) };
        process["capabilities"]!["effective"] = uid == 0 ? process["capabilities"]!["bounding"]!.DeepClone() : new JsonArray("CAP_NET_ADMIN");
        process["capabilities"]!["permitted"] = process["capabilities"]!["effective"]!.DeepClone();
        process["capabilities"]!["ambient"] = uid == 0 ? new JsonArray() : new JsonArray("CAP_NET_ADMIN");
        process["capabilities"]!["inheritable"] = uid == 0 ? new JsonArray() : new JsonArray("CAP_NET_ADMIN");
        process["env"]!.AsArray().Add((JsonNode)JsonValue.Create("HOME=" + home));
        if (copies)
        {
            foreach (string file in new[] { "passwd", "group" })
            {
                expected["mounts"]!.AsArray().Add((JsonNode)new JsonObject
                {
                    ["destination"] = "/etc/" + file, ["type"] = "bind", ["source"] = Path.Combine(store.Directory(config.Id), file), ["options"] = new JsonArray("bind", "rprivate"),
                });
            }
        }

        JsonNode actual = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected\n{expected.ToJsonString()}\nactual\n{actual.ToJsonString()}");
        Assert.Contains("\n  \"process\": {", File.ReadAllText(path));
    }

    [Fact]
    public void Applying_twice_adds_nothing_twice()
    {
        ContainerConfig config = Config('c') with { Env = ["HOME=/set"] };
        var store = new ContainerStore(Path.Combine(_dir, "root"), Path.Combine(_dir, "run"));
        store.Create(config);
        var writer = new BundleWriter(store);
        writer.Write(config, rootless: false);
        writer.ApplyUser(config, new ContainerUser(0, 0, [], "/root"), ["passwd"]);
        string once = File.ReadAllText(Path.Combine(store.BundleDirectory(config.Id), "config.json"));

        writer.ApplyUser(config, new ContainerUser(0, 0, [], "/root"), ["passwd"]);

        Assert.Equal(once, File.ReadAllText(Path.Combine(store.BundleDirectory(config.Id), "config.json")));
        JsonNode spec = JsonNode.Parse(once)!;
        Assert.Single(spec["process"]!["env"]!.AsArray(), e => ((string)e!).StartsWith("HOME=", StringComparison.Ordinal));
        Assert.Single(spec["mounts"]!.AsArray(), m => (string?)m!["destination"] == "/etc/passwd");
    }
}

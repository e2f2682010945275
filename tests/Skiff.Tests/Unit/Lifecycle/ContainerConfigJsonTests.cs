using System.Text;
using System.Text.Json;
using Skiff.Core.IdMaps;
using Skiff.Core.Mounts;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Lifecycle;

/// <summary>
/// The hand-written config.json and state.json against System.Text.Json's generated contract for the same
/// records: the same bytes written, the same objects read, the same documents rejected.
/// </summary>
public class ContainerConfigJsonTests
{
    private static readonly ContainerConfig Minimal = new()
    {
        Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        Name = "brave_quay",
        Created = new DateTimeOffset(2026, 12, 1, 13, 50, 42, 392, TimeSpan.Zero).AddTicks(9109),
        Image = "busybox",
        Runtime = "skiff",
    };

    private static readonly ContainerConfig Full = Minimal with
    {
        Created = new DateTimeOffset(2026, 12, 1, 14, 0, 0, TimeSpan.FromHours(2)),
        ImageId = "sha256:a85171bc5861284c7a7b2a190ee2564d2daebd1705c63d4361ff444c424874a0",
        RootfsPath = "/srv/root",
        RootfsMounts = [new MountSpec("overlay", "overlay", "/", ["lowerdir=/l", "upperdir=/u", "workdir=/w"])],
        Entrypoint = ["/bin/sh", "-c"],
        Cmd = ["echo \"h\u00e9llo\" <&> \\ \t"],
        Env = ["A=B", "PATH=/bin"],
        WorkingDir = "/work",
        User = "1000:1000",
        GroupAdd = ["keep-groups", "10"],
        Hostname = "box",
        Tty = true,
        OpenStdin = true,
        AutoRemove = true,
        Labels = new Dictionary<string, string> { ["a"] = "b", ["io.x"] = "" },
        Sysctls = new Dictionary<string, string> { ["net.ipv4.ip_forward"] = "1" },
        LogDriver = "json-file",
        LogPath = "/home/u/logs/web.log",
        LogMaxSize = 1_000_000,
        LogMaxFiles = 3,
        LogTag = "{{.Name}}",
        StopSignal = "SIGKILL",
        StopTimeout = -1,
        Timeout = 2,
        NetworkMode = "mynet",
        NetworkEndpoints =
        [
            new NetworkEndpoint
            {
                Network = "mynet",
                NetworkId = "abc",
                IPAddress = "10.89.0.2",
                PrefixLength = 24,
                Gateway = "10.89.0.1",
                Aliases = ["web", "db"],
                Bridge = "skiff1",
                Internal = true,
                DnsEnabled = true,
                Interface = "eth0",
                Ipv6Address = "fd12:3456:789a:1::2",
                Ipv6PrefixLength = 64,
                Ipv6Gateway = "fd12:3456:789a:1::1",
                MacAddress = "92:d0:c6:0a:29:33",
            },
            new NetworkEndpoint { Network = "other", NetworkId = "def", IPAddress = "10.90.0.2", PrefixLength = 16, Gateway = "10.90.0.1", Bridge = "skiff2", Interface = "eth1" },
        ],
        Ports = [new PublishedPort { HostIp = "127.0.0.1", HostPort = 8080, ContainerPort = 80, Protocol = "udp" }, new PublishedPort()],
        Dns = ["1.1.1.1"],
        DnsSearch = ["example.com"],
        DnsOptions = ["ndots:2"],
        ExtraHosts = ["x:1.2.3.4"],
        NoHosts = true,
        PublishAll = true,
        ReadOnlyRootfs = true,
        Init = true,
        Systemd = true,
        InitPath = "/usr/lib/skiff-init",
        Mounts = [new ContainerMount("volume", "/v/d", "/v", "vol", ["ro", "U"]) { FromContainer = "0123abcd" }, new ContainerMount("bind", "/tmp", "/data", null, [])],
        Ulimits = ["nofile=100:200"],
        DetachKeys = "ctrl-p,ctrl-q",
        RestartPolicy = "on-failure",
        RestartRetries = 3,
        Resources = new CgroupResources(
            67108864, 134217728, 100000, 100000, 512, "0-1", 50, 300, 33554432,
            [new BlockIoLimit(BlockIoLimitKind.WriteIops, "/dev/loop0", 7, 0, 100), new BlockIoLimit(BlockIoLimitKind.Weight, null, 8, 16, 500)],
            [new DeviceRule(false, 'a', null, null, "rwm"), new DeviceRule(true, 'c', 1, 3, "r")],
            15, true, "0"),
        CgroupPath = "skiff/0123",
        CgroupManager = "systemd",
        CgroupNamespace = true,
        CgroupParent = "/batch",
        CgroupsMode = "split",
        Requires = ["4567"],
        Privileged = true,
        CapAdd = ["SYS_ADMIN"],
        CapDrop = ["ALL"],
        SecurityOpt = ["no-new-privileges", "seccomp=unconfined"],
        UsernsMode = "keep-id",
        PidMode = "container:0123",
        IpcMode = "none",
        UtsMode = "host",
        IdMappings = new IdMap([new(0, 100000, 65536), new(65536, 1, 1)], [new(0, 100000, 65536)]),
        RootfsOwnersShifted = true,
        AddAccount = new ContainerAccount("user", 1000, 1000, "/home/user"),
        Passwd = false,
        PasswdEntry = "$USERNAME:x:$UID:$GID:$NAME:$HOME:/bin/sh",
        HostUsers = ["alice:1001:1002:Alice:/home/alice"],
        Personality = "LINUX32",
        ConmonPidFile = "/run/user/1000/monitor.pid",
        Healthcheck = new Skiff.Runtime.Health.HealthCheckConfig
        {
            Test = ["CMD-SHELL", "test -f /tmp/ok"],
            Interval = 1_000_000_000,
            Timeout = 30_000_000_000,
            StartPeriod = 5_000_000_000,
            Retries = 2,
            OnFailure = "kill",
        },
        UnsetEnv = ["PATH"],
        UnsetEnvAll = true,
        Annotations = new Dictionary<string, string> { ["com.example.a"] = "b=c" },
        PidFile = "/run/x.pid",
        CreateCommand = ["skiff", "run", "-d", "--name", "web", "busybox"],
        SdNotifyMode = "conmon",
        SdNotifySocket = "/run/systemd/notify",
        Devices = [new ContainerDevice("/dev/null", "/dev/mynull", "r", "c", 1, 3, 438, 0, 0), new ContainerDevice("/dev/loop0", "/dev/loop0", "rwm", "b", 7, 0, 384, 0, 6)],
        DeviceCgroupRules = ["c 1:1 rwm"],
        ShmSize = 1048576,
        Timezone = "Europe/Paris",
        Umask = 63,
        OomScoreAdj = -100,
        Secrets = [new ContainerSecret("db", "0123456789abcdef012345678", "mount", "/run/secrets/db", 5, 6, 256), new ContainerSecret("api", "abcdef0123456789abcdef012", "env", "API_KEY", 0, 0, 0)],
    };

    public static TheoryData<string> Configs() => new() { nameof(Minimal), nameof(Full) };

    /// <summary>
    /// A member added to the config (or to a record inside it) must be added to <see cref="ContainerConfigJson"/>
    /// too: non-null members are caught by the byte comparison, and this keeps <see cref="Full"/> setting every
    /// nullable one, so a new one fails here until it is set above (and then the comparisons check it).
    /// </summary>
    [Fact]
    public void Full_sets_every_member()
    {
        (object? Part, Type Type)[] parts =
        [
            (Full, typeof(ContainerConfig)), (Full.NetworkEndpoints[0], typeof(NetworkEndpoint)), (Full.Ports[0], typeof(PublishedPort)),
            (Full.Mounts[0], typeof(ContainerMount)), (Full.RootfsMounts[0], typeof(MountSpec)), (Full.Resources, typeof(CgroupResources)),
            (Full.IdMappings, typeof(IdMap)), (Full.AddAccount, typeof(ContainerAccount)),
            (Full.Healthcheck, typeof(Skiff.Runtime.Health.HealthCheckConfig)), (Full.Devices[0], typeof(ContainerDevice)),
            (Full.Resources.BlockIoLimits![0], typeof(BlockIoLimit)), (Full.Resources.Devices![1], typeof(DeviceRule)),
            (Full.Secrets[0], typeof(ContainerSecret)),
        ];
        foreach ((object? part, Type type) in parts)
        {
            Assert.NotNull(part);
            foreach (System.Reflection.PropertyInfo property in type.GetProperties())
            {
                if (property.GetIndexParameters().Length > 0 || property.IsDefined(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute), inherit: true) || property.Name == nameof(ContainerConfig.LegacyNetworkEndpoint))
                {
                    continue;
                }

                Assert.True(property.GetValue(part) is not null, $"{type.Name}.{property.Name} is not set in Full");
            }
        }
    }

    private static ContainerConfig Named(string name) => name == nameof(Full) ? Full : Minimal;

    [Theory]
    [MemberData(nameof(Configs))]
    public void Writes_the_bytes_the_generated_contract_writes(string name)
    {
        ContainerConfig config = Named(name);
        Assert.Equal(
            Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(config, ContainerJsonContext.Default.ContainerConfig)),
            Encoding.UTF8.GetString(ContainerConfigJson.Write(config)));
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Reads_back_what_it_writes(string name)
    {
        ContainerConfig config = Named(name);
        Assert.Equal(Canonical(config), Canonical(ContainerConfigJson.Read(ContainerConfigJson.Write(config))));
    }

    public static TheoryData<string> Documents() => new()
    {
        """{ "id": "i", "name": "n", "created": "2026-12-01T13:50:42+00:00", "image": "x", "runtime": "skiff" }""",
        """
        { "id": "i", "name": "n", "created": "2026-12-01T13:50:42.1234567-05:00", "image": "x", "runtime": "r",
          "ports": null, "entrypoint": null, "labels": null, "resources": null, "networkEndpoint": null, "idMappings": null,
          "imageId": null, "cmd": [null], "rootfsMounts": [{ "type": "overlay" }, null], "mounts": [{ "type": "tmpfs", "destination": "/t", "options": [] }],
          "resources": { "memory": 5, "isEmpty": true, "unknown": [1] }, "systemdCgroup": true, "args": ["ignored"],
          "idMappings": { "uids": [{ "containerId": 0, "hostId": 1, "size": 2 }], "gids": null },
          "addAccount": { "name": "u" }, "stopTimeout": 3, "future": { "a": [null, {}] } }
        """,
        """{ "id": "a", "id": "b", "Name": "case matters", "name": "n", "created": "2026-12-01T13:50:42Z", "image": "x", "runtime": "r" }""",
        """
        { "id": "i", "name": "n", "created": "2026-12-01T13:50:42Z", "image": "x", "runtime": "r",
          "networkEndpoint": { "network": "n", "networkId": "i", "ipAddress": "1.2.3.4", "prefixLength": 8, "gateway": "g", "bridge": "b" } }
        """,
        """
        { "id": "i", "name": "n", "created": "2026-12-01T13:50:42Z", "image": "x", "runtime": "r",
          "networkEndpoints": [{ "network": "n", "networkId": "i", "ipAddress": "1.2.3.4", "prefixLength": 8, "gateway": "g", "bridge": "b", "dnsEnabled": true, "interface": "eth3" }],
          "networkEndpoint": { "network": "old", "networkId": "i", "ipAddress": "1.2.3.4", "prefixLength": 8, "gateway": "g", "bridge": "b" } }
        """,
        """{ "id": "i", "name": "n", "created": "2026-12-01T13:50:42Z", "image": "x", "runtime": "r", "networkEndpoints": null, "networkEndpoint": null }""",
        """{ "id": "i", "name": "n", "created": "2026-12-01T13:50:42Z", "image": "x", "runtime": "r", "ports": [{ "hostPort": 1 }], "resources": {} }""",
        """{ "id": "i", "name": "n", "created": "2026-12-01T13:50:42Z", "image": "x", "runtime": "r", "healthcheck": { "test": ["NONE"], "retries": 4, "later": 1 } }""",
        """{ "id": "i", "name": "n", "created": "2026-12-01T13:50:42Z", "image": "x", "runtime": "r", "healthcheck": null }""",
        "null",
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Reads_what_the_generated_contract_reads(string document)
    {
        byte[] json = Encoding.UTF8.GetBytes(document);
        Assert.Equal(
            Canonical(JsonSerializer.Deserialize(json, ContainerJsonContext.Default.ContainerConfig)),
            Canonical(ContainerConfigJson.Read(json)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{ \"name\": \"n\", \"created\": \"2026-12-01T13:50:42Z\", \"image\": \"x\", \"runtime\": \"r\" }")]
    [InlineData("{ \"id\": \"i\", \"name\": \"n\", \"image\": \"x\", \"runtime\": \"r\" }")]
    [InlineData("{ \"id\": \"i\", \"name\": \"n\", \"created\": \"2026-12-01T13:50:42Z\", \"image\": \"x\" }")]
    [InlineData("{ \"id\": \"i\", \"name\": \"n\", \"created\": \"yesterday\", \"image\": \"x\", \"runtime\": \"r\" }")]
    [InlineData("{ \"id\": \"i\", \"name\": \"n\", \"created\": null, \"image\": \"x\", \"runtime\": \"r\" }")]
    [InlineData("{ \"id\": 1, \"name\": \"n\", \"created\": \"2026-12-01T13:50:42Z\", \"image\": \"x\", \"runtime\": \"r\" }")]
    [InlineData("{ \"id\": \"i\", \"name\": \"n\", \"created\": \"2026-12-01T13:50:42Z\", \"image\": \"x\", \"runtime\": \"r\", \"tty\": null }")]
    [InlineData("{ \"id\": \"i\", \"name\": \"n\", \"created\": \"2026-12-01T13:50:42Z\", \"image\": \"x\", \"runtime\": \"r\", \"stopTimeout\": 1.5 }")]
    [InlineData("{ \"id\": \"i\", \"name\": \"n\", \"created\": \"2026-12-01T13:50:42Z\", \"image\": \"x\", \"runtime\": \"r\", \"idMappings\": { \"uids\": [null] } }")]
    [InlineData("{ \"id\": \"i\", \"name\": \"n\", \"created\": \"2026-12-01T13:50:42Z\", \"image\": \"x\", \"runtime\": \"r\", \"networkEndpoint\": { \"network\": \"n\" } }")]
    [InlineData("{ \"id\": \"i\", \"name\": \"n\", \"created\": \"2026-12-01T13:50:42Z\", \"image\": \"x\", \"runtime\": \"r\", \"networkEndpoints\": [{ \"network\": \"n\" }] }")]
    [InlineData("{ \"id\": \"i\", \"name\": \"n\", \"created\": \"2026-12-01T13:50:42Z\", \"image\": \"x\", \"runtime\": \"r\", \"resources\": { \"blkioWeight\": 70000 } }")]
    [InlineData("{ \"id\": \"i\", \"name\": \"n\", \"created\": \"2026-12-01T13:50:42Z\", \"image\": \"x\", \"runtime\": \"r\" } {}")]
    [InlineData("{ \"id\": \"i\", // comment\n \"name\": \"n\", \"created\": \"2026-12-01T13:50:42Z\", \"image\": \"x\", \"runtime\": \"r\" }")]
    public void Rejects_what_the_generated_contract_rejects(string document)
    {
        byte[] json = Encoding.UTF8.GetBytes(document);
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, ContainerJsonContext.Default.ContainerConfig));
        Assert.ThrowsAny<JsonException>(() => ContainerConfigJson.Read(json));
    }

    public static TheoryData<string> States() => new()
    {
        "{}",
        """
        { "status": "running", "pid": 12, "pidStartTime": 3456789, "monitorPid": 11, "monitorStartTime": 3456700, "exitCode": 137,
          "startedAt": "2026-12-01T13:50:42.3929109+00:00", "finishedAt": "2026-12-01T14:50:42+01:00", "error": "oops \"quoted\"",
          "oomKilled": true, "restartCount": 2, "stoppedByUser": true, "running": false, "later": [1] }
        """,
        """{ "status": null, "startedAt": null, "error": null }""",
        "null",
    };

    [Theory]
    [MemberData(nameof(States))]
    public void State_reads_and_writes_what_the_generated_contract_does(string document)
    {
        byte[] json = Encoding.UTF8.GetBytes(document);
        ContainerState? expected = JsonSerializer.Deserialize(json, ContainerJsonContext.Default.ContainerState);
        ContainerState? actual = ContainerStateJson.Read(json);
        Assert.Equal(expected, actual);
        if (expected is not null)
        {
            Assert.Equal(
                Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(expected, ContainerJsonContext.Default.ContainerState)),
                Encoding.UTF8.GetString(ContainerStateJson.Write(expected)));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("{ \"pid\": null }")]
    [InlineData("{ \"pid\": \"1\" }")]
    [InlineData("{ \"startedAt\": 5 }")]
    [InlineData("{ \"oomKilled\": 0 }")]
    [InlineData("{} []")]
    public void State_rejects_what_the_generated_contract_rejects(string document)
    {
        byte[] json = Encoding.UTF8.GetBytes(document);
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, ContainerJsonContext.Default.ContainerState));
        Assert.ThrowsAny<JsonException>(() => ContainerStateJson.Read(json));
    }

    [Fact]
    public void Listing_reads_what_ps_shows_and_leaves_the_rest_as_missing()
    {
        ContainerConfig listed = ContainerConfigJson.ReadListing(ContainerConfigJson.Write(Full))!;
        ContainerConfig expected = Full with
        {
            RootfsPath = null, RootfsMounts = null!, Env = null!, WorkingDir = null!, User = null!, GroupAdd = null!, Hostname = null!,
            Tty = false, OpenStdin = false, Sysctls = null!, LogDriver = null!, LogPath = null, LogMaxSize = null, LogMaxFiles = null, LogTag = null, StopSignal = null!, StopTimeout = 0, Timeout = null, NetworkMode = null!,
            Dns = null!, DnsSearch = null!, DnsOptions = null!, ExtraHosts = null!, NoHosts = false, PublishAll = false, ReadOnlyRootfs = false, Init = false, Systemd = false,
            InitPath = null, Ulimits = null!, DetachKeys = null, RestartPolicy = null, RestartRetries = 0, Resources = null!, CgroupPath = null, CgroupManager = null,
            CgroupNamespace = false, CgroupParent = null, CgroupsMode = null, Requires = null!, Privileged = false, CapAdd = null!, CapDrop = null!, SecurityOpt = null!, UsernsMode = null!,
            PidMode = null!, IpcMode = null!, UtsMode = null!, IdMappings = null, RootfsOwnersShifted = false, AddAccount = null, Passwd = null, PasswdEntry = null, HostUsers = null!, Personality = null, ConmonPidFile = null,
            UnsetEnv = null!, UnsetEnvAll = false, Annotations = null!, PidFile = null, CreateCommand = null!, SdNotifyMode = null, SdNotifySocket = null, Devices = null!, DeviceCgroupRules = null!, ShmSize = null, Timezone = null, Umask = null, OomScoreAdj = null, Secrets = null!,
        };
        Assert.Equal(Canonical(expected), Canonical(listed));
        Assert.Equal(Full.Args, listed.Args);
        Assert.Equal(Full.NetworkEndpoints[0].Network, listed.NetworkEndpoints[0].Network);
    }

    [Theory]
    [InlineData("{ \"id\": \"i\", \"name\": \"n\", \"created\": \"2026-12-01T13:50:42Z\", \"image\": \"x\" }")]
    [InlineData("{ \"id\": \"i\", \"name\": \"n\", \"created\": \"2026-12-01T13:50:42Z\", \"image\": \"x\", \"runtime\": \"r\", \"env\": [ }")]
    [InlineData("{ \"id\": \"i\", \"name\": \"n\", \"created\": \"2026-12-01T13:50:42Z\", \"image\": \"x\", \"runtime\": \"r\" } {}")]
    public void Listing_rejects_documents_that_are_not_configs(string document) =>
        Assert.ThrowsAny<JsonException>(() => ContainerConfigJson.ReadListing(Encoding.UTF8.GetBytes(document)));

    private static string Canonical(ContainerConfig? config) =>
        config is null ? "null" : Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(config, ContainerJsonContext.Default.ContainerConfig));
}

using System.Text.Json.Nodes;
using Skiff.Core.Errors;
using Skiff.Core.IdMaps;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Lifecycle;

/// <summary>--sysctl validation as podman's, and the sysctls the bundle carries.</summary>
public sealed class ContainerSysctlsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("skiff-sysctl-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Namespaced_sysctls_are_taken_and_later_flags_win()
    {
        IReadOnlyDictionary<string, string> parsed = ContainerSysctls.Parse(
            ["net.ipv4.ip_forward=1", "kernel.shmmax=4096", "fs.mqueue.msg_max=20", "net.ipv4.ping_group_range=0 2000", "net.ipv4.ip_forward=0"], "pasta");
        Assert.Equal("0", parsed["net.ipv4.ip_forward"]);
        Assert.Equal("4096", parsed["kernel.shmmax"]);
        Assert.Equal("20", parsed["fs.mqueue.msg_max"]);
        Assert.Equal("0 2000", parsed["net.ipv4.ping_group_range"]);
    }

    [Theory]
    [InlineData("kernel.hostname=x", "pasta", "is not allowed")]
    [InlineData("vm.swappiness=10", "none", "is not allowed")]
    [InlineData("net.ipv4.ip_forward", "none", "KEY=VALUE")]
    [InlineData("=1", "none", "KEY=VALUE")]
    [InlineData("net.ipv4.ip_forward=1", "host", "--network host")]
    public void Other_sysctls_and_bad_input_are_refused(string flag, string network, string message)
    {
        SkiffException refused = Assert.Throws<SkiffException>(() => ContainerSysctls.Parse([flag], network));
        Assert.Equal(ErrorKind.InvalidArgument, refused.Kind);
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
        Assert.NotNull(refused.Hint);
    }

    [Fact]
    public void The_bundle_lets_every_group_ping_unless_the_network_is_the_hosts_or_gid_0_is_unmapped()
    {
        JsonObject? Sysctl(ContainerConfig config)
        {
            var store = new ContainerStore(Path.Combine(_dir, "root"), Path.Combine(_dir, "run"));
            store.Create(config);
            new BundleWriter(store).Write(config, rootless: false);
            return JsonNode.Parse(File.ReadAllText(Path.Combine(store.BundleDirectory(config.Id), "config.json")))!["linux"]!["sysctl"]?.AsObject();
        }

        ContainerConfig Config(char id, string network) => new()
        {
            Id = new string(id, 64), Name = "s" + id, Created = DateTimeOffset.UnixEpoch, Image = "busybox", Runtime = "runc",
            Cmd = ["true"], NetworkMode = network,
        };

        // pasta's containers recover from lost segments after 5 ms, not 200 (kernels with the sysctl); others keep the kernel's.
        bool rtoMin = File.Exists("/proc/sys/net/ipv4/tcp_rto_min_us");
        Assert.Equal(rtoMin ? ContainerSysctls.PastaTcpRtoMin : null, (string?)Sysctl(Config('x', "pasta:--map-gw"))![ContainerSysctls.TcpRtoMin]);
        Assert.False(Sysctl(Config('y', "slirp4netns"))!.ContainsKey(ContainerSysctls.TcpRtoMin));
        Assert.Equal("1000", (string?)Sysctl(Config('z', "pasta") with { Sysctls = new Dictionary<string, string> { [ContainerSysctls.TcpRtoMin] = "1000" } })![ContainerSysctls.TcpRtoMin]);
        Assert.Equal("0 0", (string?)Sysctl(Config('a', "pasta"))![ContainerSysctls.PingGroupRange]);
        JsonObject user = Sysctl(Config('b', "none") with { Sysctls = new Dictionary<string, string> { ["net.ipv4.ping_group_range"] = "1 1", ["kernel.sem"] = "1 2 3 4" } })!;
        Assert.Equal("1 1", (string?)user["net.ipv4.ping_group_range"]);
        Assert.Equal("1 2 3 4", (string?)user["kernel.sem"]);
        Assert.Null(Sysctl(Config('c', "host")));
        IdMap noRoot = new([new IdMapping(1000, 100000, 10)], [new IdMapping(1000, 100000, 10)]);
        Assert.Null(Sysctl(Config('d', "none") with { IdMappings = noRoot }));
    }
}

using Skiff.Core.Errors;
using Skiff.Rootless.Network;

namespace Skiff.Tests.Unit.Network;

public class EtcFilesTests
{
    private const string HostResolv = "# generated\nnameserver 127.0.0.53\nnameserver 10.255.255.53\nsearch corp.example\noptions edns0 trust-ad\n";

    [Fact]
    public void Hosts_has_localhost_extra_hosts_host_gateway_and_the_container()
    {
        var options = new EtcFilesOptions
        {
            Hostname = "abc123",
            ContainerName = "web",
            HostAddress = "169.254.1.2",
            ExtraHosts = [HostEntry.Parse("db:10.0.0.5"), HostEntry.Parse("me:host-gateway")],
        };
        string hosts = EtcFiles.Hosts(options);
        Assert.StartsWith("127.0.0.1\tlocalhost", hosts);
        Assert.Contains("10.0.0.5\tdb\n", hosts);
        Assert.Contains("169.254.1.2\tme\n", hosts);
        Assert.Contains("169.254.1.2\thost.containers.internal host.docker.internal\n", hosts);
        Assert.EndsWith("127.0.1.1\tabc123 web\n", hosts);
        Assert.Equal("abc123\n", EtcFiles.Hostname(options));
    }

    [Fact]
    public void Resolv_conf_uses_the_helper_forwarder()
    {
        string text = EtcFiles.ResolvConf(new EtcFilesOptions { Hostname = "h", HelperDns = "169.254.1.1" }, HostResolv);
        Assert.Equal("search corp.example\nnameserver 169.254.1.1\noptions edns0 trust-ad\n", text);
    }

    [Fact]
    public void Resolv_conf_on_dns_enabled_networks_points_at_their_gateways_and_searches_dns_podman_first()
    {
        var options = new EtcFilesOptions { Hostname = "h", HelperDns = "169.254.1.1", NetworkNameservers = ["10.89.0.1", "10.89.1.1"], NetworkSearch = ["dns.podman"] };
        Assert.Equal("search dns.podman corp.example\nnameserver 10.89.0.1\nnameserver 10.89.1.1\noptions edns0 trust-ad\n", EtcFiles.ResolvConf(options, HostResolv));
        // --dns replaces the server, the search domain stays (podman).
        Assert.StartsWith("search dns.podman corp.example\nnameserver 1.1.1.1\n", EtcFiles.ResolvConf(options with { Dns = ["1.1.1.1"] }, HostResolv));
    }

    [Fact]
    public void Resolv_conf_drops_loopback_host_servers()
    {
        string text = EtcFiles.ResolvConf(new EtcFilesOptions { Hostname = "h" }, HostResolv);
        Assert.Contains("nameserver 10.255.255.53\n", text);
        Assert.DoesNotContain("127.0.0.53", text);
        Assert.Equal("nameserver 8.8.8.8\nnameserver 8.8.4.4\n", EtcFiles.ResolvConf(new EtcFilesOptions { Hostname = "h" }, "nameserver 127.0.0.53\n"));
    }

    [Fact]
    public void Dns_flags_replace_the_hosts_values()
    {
        var options = new EtcFilesOptions { Hostname = "h", HelperDns = "169.254.1.1", Dns = ["1.1.1.1"], DnsSearch = ["a.example", "b.example"], DnsOptions = ["ndots:2"] };
        Assert.Equal("search a.example b.example\nnameserver 1.1.1.1\noptions ndots:2\n", EtcFiles.ResolvConf(options, HostResolv));
        Assert.DoesNotContain("search", EtcFiles.ResolvConf(new EtcFilesOptions { Hostname = "h", DnsSearch = ["."] }, HostResolv));
    }

    [Theory]
    [InlineData("db")]
    [InlineData("db:notanip")]
    [InlineData(":1.2.3.4")]
    public void Bad_add_host(string text) => Assert.Throws<SkiffException>(() => HostEntry.Parse(text));

    [Fact]
    public void Add_host_takes_ipv6_and_equals_form() => Assert.Equal(new HostEntry("v6", "::1"), HostEntry.Parse("v6=::1"));
}

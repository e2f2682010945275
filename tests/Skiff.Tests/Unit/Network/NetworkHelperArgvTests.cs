using System.Text;
using Skiff.Rootless.Network;

namespace Skiff.Tests.Unit.Network;

public class NetworkHelperArgvTests
{
    [Fact]
    public void Pasta_default_argv_is_podmans()
    {
        var options = new PastaOptions { PidFile = "/run/x/pasta.pid" };
        Assert.Equal(
            ["--config-net", "--quiet", "--pid", "/run/x/pasta.pid", "--dns-forward", "169.254.1.1", "--no-map-gw", "-t", "none", "-u", "none", "-T", "none", "-U", "none", "4242"],
            PastaNetwork.BuildArguments(options, 4242));
    }

    [Fact]
    public void Pasta_on_a_tap_skiff_configured_gets_it_instead_of_configuring_the_namespace()
    {
        var options = new PastaOptions { PidFile = "/run/x/pasta.pid", TapDescriptor = 3 };
        Assert.Equal(
            ["--fd", "3", "--quiet", "--pid", "/run/x/pasta.pid", "--dns-forward", "169.254.1.1", "--no-map-gw", "-t", "none", "-u", "none", "-T", "none", "-U", "none", "--netns", "/run/x/netns"],
            PastaNetwork.BuildArguments(options, "/run/x/netns"));
        // What a container must ask for to adopt an early pasta does not depend on who made the tap.
        Assert.Equal(EarlyPasta.SignatureOf(options with { TapDescriptor = null }), EarlyPasta.SignatureOf(options));
    }

    [Fact]
    public void Pasta_forwards_published_ports_and_maps_the_gateway_when_asked()
    {
        var options = new PastaOptions
        {
            PidFile = "/p",
            DnsForward = null,
            MapGatewayToHost = true,
            Ports =
            [
                new PortMapping("127.0.0.1", 8080, 80, PortProtocol.Tcp),
                new PortMapping(null, 5000, 6000, PortProtocol.Tcp, 3),
                new PortMapping("::1", 53, 53, PortProtocol.Udp),
            ],
            ExtraArguments = ["--mtu", "1500"],
        };
        Assert.Equal(
            ["--config-net", "--quiet", "--pid", "/p", "-t", "127.0.0.1/8080:80", "-t", "5000-5002:6000-6002", "-u", "::1/53:53", "-T", "none", "-U", "none", "--mtu", "1500", "7"],
            PastaNetwork.BuildArguments(options, 7));
    }

    [Fact]
    public void An_early_pasta_fits_a_container_only_when_all_but_its_paths_are_the_same()
    {
        var early = new PastaOptions { PidFile = "/run/.early-1/pasta.pid", RunAs = "0:0" };
        string signature = EarlyPasta.SignatureOf(early);
        Assert.Equal(signature, EarlyPasta.SignatureOf(early with { PidFile = "/run/c/ID/pasta.pid" }));
        Assert.NotEqual(signature, EarlyPasta.SignatureOf(early with { Ports = [new PortMapping(null, 8080, 80, PortProtocol.Tcp)] }));
        Assert.NotEqual(signature, EarlyPasta.SignatureOf(early with { MapGatewayToHost = true }));
        Assert.NotEqual(signature, EarlyPasta.SignatureOf(early with { ExtraArguments = ["--mtu", "1500"] }));
    }

    [Fact]
    public void Slirp4netns_argv_is_podmans()
    {
        var options = new Slirp4netnsOptions { ApiSocket = "/run/x/slirp.sock" };
        Assert.Equal(
            ["--configure", "--mtu=65520", "--disable-host-loopback", "--enable-sandbox", "--enable-seccomp", "--api-socket", "/run/x/slirp.sock", "99", "tap0"],
            Slirp4netnsNetwork.BuildArguments(options, 99));
        Assert.DoesNotContain("--disable-host-loopback", Slirp4netnsNetwork.BuildArguments(options with { DisableHostLoopback = false }, 99));
    }

    [Fact]
    public void Slirp4netns_api_request_and_replies()
    {
        string request = Encoding.UTF8.GetString(Slirp4netnsNetwork.AddHostForwardRequest(new PortMapping("127.0.0.1", 8080, 80, PortProtocol.Tcp)));
        Assert.Equal("""{"execute":"add_hostfwd","arguments":{"proto":"tcp","host_addr":"127.0.0.1","host_port":8080,"guest_addr":"10.0.2.100","guest_port":80}}""", request);
        Assert.Null(Slirp4netnsNetwork.ReplyError("""{"return": {"id": 1}}"""u8));
        Assert.Equal("bad request: add_hostfwd: slirp_add_hostfwd failed", Slirp4netnsNetwork.ReplyError("""{"error": {"desc": "bad request: add_hostfwd: slirp_add_hostfwd failed"}}"""u8));
        Assert.StartsWith("malformed reply", Slirp4netnsNetwork.ReplyError("nope"u8));
    }

    [Fact]
    public void Pasta_syslog_noise_is_dropped_from_errors()
    {
        Assert.Equal(
            "Failed to bind any port for '-t 80', exiting",
            NetworkHelperErrors.Clean("Failed to send 67 bytes to syslog\nFailed to bind any port for '-t 80', exiting\n"));
    }

    [Theory]
    [InlineData("none", NetworkKind.None, 0)]
    [InlineData("host", NetworkKind.Host, 0)]
    [InlineData("pasta", NetworkKind.Pasta, 0)]
    [InlineData("pasta:--map-gw,--mtu,1500", NetworkKind.Pasta, 3)]
    [InlineData("slirp4netns:allow_host_loopback=true", NetworkKind.Slirp4netns, 1)]
    [InlineData("container:web", NetworkKind.Container, 0)]
    [InlineData("container:a,b", NetworkKind.Container, 0)]
    [InlineData("ns:/run/netns/x", NetworkKind.NamespacePath, 0)]
    public void Network_modes(string text, NetworkKind kind, int options)
    {
        NetworkMode mode = NetworkMode.Parse(text);
        Assert.Equal(kind, mode.Kind);
        Assert.Equal(options, mode.Options.Count);
    }

    [Fact]
    public void Joined_network_modes_name_what_they_join()
    {
        Assert.Equal(("web", "container:web", true), NetworkMode.Parse("container:web") is var c ? (c.Network, c.ToString(), c.Joins) : default);
        Assert.Equal(("/run/netns/x", "ns:/run/netns/x", true), NetworkMode.Parse("ns:/run/netns/x") is var n ? (n.Network, n.ToString(), n.Joins) : default);
        Assert.False(NetworkMode.Parse("pasta").Joins);
        Assert.Contains("requires a value", Assert.Throws<Skiff.Core.Errors.SkiffException>(() => NetworkMode.Parse("container:")).Message);
        Assert.Contains("not absolute", Assert.Throws<Skiff.Core.Errors.SkiffException>(() => NetworkMode.Parse("ns:x")).Message);
        Assert.Equal("container:a,b", Skiff.Rootless.Network.NetworkSelection.Parse(["container:a,b"])!.Mode);
    }

    [Fact]
    public void Unknown_network_mode_is_refused_with_the_list()
    {
        var e = Assert.Throws<Skiff.Core.Errors.SkiffException>(() => NetworkMode.Parse("bridge"));
        Assert.Contains("pasta", e.Hint);
    }
}

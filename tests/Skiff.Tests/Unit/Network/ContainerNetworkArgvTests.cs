using Skiff.Cli.Commands.Containers;
using Skiff.Core.Errors;
using Skiff.Rootless.Network;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Network;

/// <summary>The argv the monitor uses (namespace bound to a file), podman's mode options, and the port views.</summary>
public class ContainerNetworkArgvTests
{
    [Fact]
    public void Pasta_joins_a_bound_namespace_and_leaves_user_given_forwards_alone()
    {
        var options = new PastaOptions { PidFile = "/r/pasta.pid", RunAs = "0:0", ExtraArguments = ["-T", "8000"] };
        Assert.Equal(
            ["--config-net", "--quiet", "--pid", "/r/pasta.pid", "--runas", "0:0", "--dns-forward", "169.254.1.1", "--no-map-gw", "-t", "none", "-u", "none", "-U", "none", "-T", "8000", "--netns", "/r/netns"],
            PastaNetwork.BuildArguments(options, "/r/netns"));
    }

    [Fact]
    public void Slirp4netns_joins_a_bound_namespace_with_ready_and_exit_descriptors()
    {
        var options = Slirp4netnsOptions.FromModeOptions(["allow_host_loopback=true", "mtu=1500", "port_handler=slirp4netns"], "/s/x.slirp") with { ReadyFd = 3, ExitFd = 4 };
        Assert.Equal(
            ["--configure", "--mtu=1500", "--enable-sandbox", "--enable-seccomp", "--api-socket", "/s/x.slirp", "--ready-fd=3", "--exit-fd=4", "--netns-type=path", "/r/netns", "tap0"],
            Slirp4netnsNetwork.BuildArguments(options, "/r/netns"));
    }

    [Theory]
    [InlineData("cidr=10.1.0.0/24")]
    [InlineData("allow_host_loopback=maybe")]
    [InlineData("mtu=10")]
    public void Slirp4netns_rejects_options_it_cannot_honour(string option)
    {
        var e = Assert.Throws<SkiffException>(() => Slirp4netnsOptions.FromModeOptions([option], "/s"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void Ports_are_stored_expanded_and_shown_as_docker_does()
    {
        IReadOnlyList<PublishedPort> ports = PortMappings.ToPublished(
        [
            PortSpecParser.Parse("127.0.0.1:8080:80"),
            PortSpecParser.Parse("9000-9001:9000-9001/udp"),
        ]);
        Assert.Equal(3, ports.Count);
        Assert.Equal("127.0.0.1:8080->80/tcp, 0.0.0.0:9000-9001->9000-9001/udp", PortView.Column(ports));
        Assert.Equal("80/tcp", PortView.Key(ports[0]));
        Assert.Equal("0.0.0.0:9001", PortView.HostEndpoint(ports[2]));
        Assert.Equal(ports, PortMappings.ToPublished(PortMappings.FromPublished(ports)));
    }

    [Fact]
    public void Etc_files_point_host_containers_internal_at_the_host_per_mode()
    {
        var host = new HostAddresses("192.0.2.2", "192.0.2.1");
        var config = new ContainerConfig { Id = new string('a', 64), Name = "web", Created = DateTimeOffset.UnixEpoch, Image = "x", Runtime = "runc" };
        EtcFilesOptions pasta = ContainerEtcFiles.Options(config, "h", NetworkMode.Parse("pasta"), host, "nameserver 10.0.0.1\n");
        Assert.Equal("192.0.2.2", pasta.HostAddress);
        Assert.Equal("169.254.1.1", pasta.HelperDns);
        Assert.Equal("192.0.2.1", ContainerEtcFiles.Options(config, "h", NetworkMode.Parse("pasta:--map-gw"), host, string.Empty).HostAddress);
        EtcFilesOptions slirp = ContainerEtcFiles.Options(config, "h", NetworkMode.Parse("slirp4netns"), host, string.Empty);
        Assert.Equal(("192.0.2.2", "10.0.2.100", "10.0.2.3"), (slirp.HostAddress, slirp.ContainerAddress, slirp.HelperDns));
        Assert.Equal("10.0.2.2", ContainerEtcFiles.Options(config, "h", NetworkMode.Parse("slirp4netns:allow_host_loopback=true"), host, string.Empty).HostAddress);
        Assert.Null(ContainerEtcFiles.Options(config, "h", NetworkMode.Parse("none"), host, string.Empty).HostAddress);
    }
}

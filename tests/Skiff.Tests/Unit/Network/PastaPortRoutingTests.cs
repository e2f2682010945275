using Skiff.Rootless.Network;
using Skiff.Rootless.Network.Bridge;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Network;

/// <summary>A pasta-connected container's IPv4 TCP ports go to skiff's forwarder, the rest to pasta.</summary>
public class PastaPortRoutingTests
{
    private static PublishedPort Port(string hostIp, int hostPort, int containerPort, string protocol = "tcp") =>
        new() { HostIp = hostIp, HostPort = hostPort, ContainerPort = containerPort, Protocol = protocol };

    [Fact]
    public void Tcp_on_ipv4_is_forwarded_and_a_port_on_every_address_leaves_its_ipv6_half_to_pasta()
    {
        PublishedPort loopback = Port("127.0.0.1", 8080, 80);
        PublishedPort otherLoopback = Port("127.0.0.2", 8081, 81);
        PublishedPort everywhere = Port(string.Empty, 8082, 82);
        PublishedPort address = Port("192.0.2.2", 8083, 83);
        PublishedPort udp = Port("127.0.0.1", 5353, 53, "udp");
        PublishedPort udpEverywhere = Port(string.Empty, 5354, 54, "udp");
        PublishedPort ipv6 = Port("::1", 8084, 84);

        (IReadOnlyList<PublishedPort> forwarded, IReadOnlyList<PublishedPort> pasta) =
            PastaPortRouting.Split([loopback, everywhere, otherLoopback, address, udp, udpEverywhere, ipv6], hostHasIPv6: true);

        Assert.Equal([loopback, everywhere, otherLoopback, address], forwarded);
        Assert.Equal([everywhere with { HostIp = "::" }, udp, udpEverywhere, ipv6], pasta);
    }

    [Fact]
    public void Without_ipv6_on_the_host_pasta_gets_no_half_of_a_port_on_every_address()
    {
        (IReadOnlyList<PublishedPort> forwarded, IReadOnlyList<PublishedPort> pasta) =
            PastaPortRouting.Split([Port(string.Empty, 8082, 82)], hostHasIPv6: false);

        Assert.Equal([Port(string.Empty, 8082, 82)], forwarded);
        Assert.Empty(pasta);
    }

    [Fact]
    public void Pasta_gets_the_ipv6_half_as_its_address_form()
    {
        (_, IReadOnlyList<PublishedPort> pasta) = PastaPortRouting.Split([Port(string.Empty, 8082, 82)], hostHasIPv6: true);

        Assert.Equal("::/8082:82", PastaNetwork.PortSpec(Assert.Single(PortMappings.FromPublished(pasta))));
    }

    [Fact]
    public void Forwarder_argv_names_the_namespace_the_client_dialer_and_each_port()
    {
        (IReadOnlyList<PublishedPort> forwarded, _) = PastaPortRouting.Split([Port("127.0.0.1", 8080, 80), Port(string.Empty, 9090, 90)], hostHasIPv6: true);

        Assert.Equal(
            ["__port-forward", "/proc/42/ns/net", "client", "127.0.0.1|8080|80", "|9090|90"],
            PortForwarder.BuildArguments("/proc/42/ns/net", ClientAddressDialer.Name, forwarded));
    }

    [Fact]
    public void Forwarder_argv_marks_udp_ports_and_reads_back_the_same_ports()
    {
        PublishedPort[] ports = [Port("127.0.0.1", 8080, 80), Port("127.0.0.1", 5353, 53, "udp"), Port(string.Empty, 6000, 60, "udp")];
        IReadOnlyList<string> argv = PortForwarder.BuildArguments("/proc/42/ns/net", ClientAddressDialer.ArgumentFor("10.89.0.2", "10.89.0.1"), ports);

        Assert.Equal(["__port-forward", "/proc/42/ns/net", "client=10.89.0.2/10.89.0.1", "127.0.0.1|8080|80", "127.0.0.1|5353|53/udp", "|6000|60/udp"], argv);
        Assert.Equal(ports, PortForwarder.Parse(argv).Ports);
        Assert.Throws<Skiff.Core.Errors.SkiffException>(() => PortForwarder.Parse(["__port-forward", "/proc/42/ns/net", "client", "|6000|60/sctp"]));
    }

    [Fact]
    public void Pasta_may_listen_only_for_ports_it_serves_or_options_of_the_user()
    {
        Assert.False(PastaPortRouting.PastaMayListen([], []));
        Assert.False(PastaPortRouting.PastaMayListen(["--map-gw"], [Port("127.0.0.1", 8080, 80)]));
        Assert.False(PastaPortRouting.PastaMayListen([], [Port("192.0.2.2", 8080, 80)]));
        Assert.True(PastaPortRouting.PastaMayListen([], [Port("127.0.0.1", 5353, 53, "udp")]));
        Assert.True(PastaPortRouting.PastaMayListen([], [Port("::1", 8080, 80)]));
        Assert.True(PastaPortRouting.PastaMayListen(["-t", "8080"], []));
    }

    [Theory]
    [InlineData("client", true)]
    [InlineData("client=10.89.0.2/10.89.0.1", true)]
    [InlineData("10.89.0.2", false)]
    [InlineData("client=10.89.0.2", false)]
    [InlineData("client=10.89.0.2/gateway", false)]
    [InlineData("clients", false)]
    public void The_forwarder_names_its_dialer_by_argument(string argument, bool valid)
    {
        Assert.Equal(valid, ClientAddressDialer.Parse(argument, () => new ClientAddressRoute()) is not null);
        Assert.Equal("client=10.89.0.2/10.89.0.1", ClientAddressDialer.ArgumentFor("10.89.0.2", "10.89.0.1"));
    }
}

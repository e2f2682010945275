using Skiff.Rootless.Network;
using Skiff.Rootless.Network.Bridge;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Network;

/// <summary>A pasta-connected container's loopback-bound TCP ports go to skiff's forwarder, the rest to pasta.</summary>
public class LoopbackPortRoutingTests
{
    private static PublishedPort Port(string hostIp, int hostPort, int containerPort, string protocol = "tcp") =>
        new() { HostIp = hostIp, HostPort = hostPort, ContainerPort = containerPort, Protocol = protocol };

    [Fact]
    public void Only_tcp_on_an_ipv4_loopback_address_is_forwarded()
    {
        PublishedPort loopback = Port("127.0.0.1", 8080, 80);
        PublishedPort otherLoopback = Port("127.0.0.2", 8081, 81);
        PublishedPort everywhere = Port(string.Empty, 8082, 82);
        PublishedPort address = Port("192.0.2.2", 8083, 83);
        PublishedPort udp = Port("127.0.0.1", 5353, 53, "udp");
        PublishedPort ipv6 = Port("::1", 8084, 84);

        (IReadOnlyList<PublishedPort> forwarded, IReadOnlyList<PublishedPort> pasta) =
            LoopbackPortRouting.Split([loopback, everywhere, otherLoopback, address, udp, ipv6]);

        Assert.Equal([loopback, otherLoopback], forwarded);
        Assert.Equal([everywhere, address, udp, ipv6], pasta);
    }

    [Fact]
    public void Forwarder_argv_names_the_namespace_the_container_loopback_and_each_port()
    {
        (IReadOnlyList<PublishedPort> forwarded, _) = LoopbackPortRouting.Split([Port("127.0.0.1", 8080, 80), Port(string.Empty, 9090, 90)]);

        Assert.Equal(
            ["__port-forward", "/proc/42/ns/net", "127.0.0.1", "127.0.0.1|8080|80"],
            PortForwarder.BuildArguments("/proc/42/ns/net", LoopbackPortRouting.ContainerTarget, forwarded));
    }

    [Fact]
    public void Pasta_may_listen_only_for_ports_it_serves_or_options_of_the_user()
    {
        Assert.False(LoopbackPortRouting.PastaMayListen([], []));
        Assert.False(LoopbackPortRouting.PastaMayListen(["--map-gw"], [Port("127.0.0.1", 8080, 80)]));
        Assert.True(LoopbackPortRouting.PastaMayListen([], [Port(string.Empty, 8080, 80)]));
        Assert.True(LoopbackPortRouting.PastaMayListen([], [Port("127.0.0.1", 5353, 53, "udp")]));
        Assert.True(LoopbackPortRouting.PastaMayListen(["-t", "8080"], []));
    }
}

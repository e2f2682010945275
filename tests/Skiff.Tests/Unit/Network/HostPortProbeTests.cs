using System.Net;
using System.Net.Sockets;
using Skiff.Core.Errors;
using Skiff.Rootless.Network;

namespace Skiff.Tests.Unit.Network;

public sealed class HostPortProbeTests
{
    [Fact]
    public void A_port_held_on_ipv4_only_is_refused_for_a_mapping_on_every_address()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        SkiffException refused = Assert.Throws<SkiffException>(() => HostPortProbe.EnsureFree([new PortMapping(null, port, 80, PortProtocol.Tcp)]));
        Assert.Equal(ErrorKind.Unavailable, refused.Kind);
        Assert.Contains($"0.0.0.0:{port}: address already in use", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(refused.Hint);
    }

    [Fact]
    public void A_range_is_refused_when_any_of_its_ports_is_held()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        Assert.Throws<SkiffException>(() => HostPortProbe.EnsureFree([new PortMapping(null, port - 1, 80, PortProtocol.Tcp, Count: 2)]));
    }

    [Fact]
    public void Udp_is_probed_separately_from_tcp()
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Any, 0));
        int port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;

        Assert.Throws<SkiffException>(() => HostPortProbe.EnsureFree([new PortMapping(null, port, 53, PortProtocol.Udp)]));
    }

    [Fact]
    public void Free_ports_pinned_addresses_and_unallocated_ports_pass()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        int held = ((IPEndPoint)listener.LocalEndpoint).Port;
        int free = FreePort();

        HostPortProbe.EnsureFree([
            new PortMapping(null, free, 80, PortProtocol.Tcp),
            // An explicit address is bound by the helper alone, which fails outright when it is taken.
            new PortMapping("127.0.0.1", held, 80, PortProtocol.Tcp),
            new PortMapping(null, 0, 80, PortProtocol.Tcp),
        ]);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Any, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

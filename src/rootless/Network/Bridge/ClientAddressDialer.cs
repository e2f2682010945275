using System.Net;
using System.Net.Sockets;
using Skiff.Rootless.Network.Netlink;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// Connects forwarded clients so that the container sees them, not the forwarder. On pasta (no fixed target),
/// as pasta shows them without pasta's user-space copy through its tap device: a client on the host's
/// loopback is connected to the container's 127.0.0.1 (pasta splices those there too), any other client to
/// the container's own address from the client's own address and port (a transparent socket;
/// <see cref="ClientAddressRoute"/> brings the replies back), so a service bound to the container's loopback
/// stays out of reach from elsewhere. On a user-defined network (a fixed target, the container's address
/// there), as podman's kernel bridge as root shows them: other clients with their address, clients on the
/// host's loopback from the network's gateway. UDP flows (<see cref="ConnectDatagram"/>, user-defined networks
/// only: pasta serves UDP ports itself) are shown the same way.
/// </summary>
public sealed class ClientAddressDialer(ClientAddressRoute route, IPAddress? target = null, IPAddress? gateway = null)
{
    /// <summary>The forwarder's argument for pasta; <c>client=TARGET/GATEWAY</c> for a user-defined network.</summary>
    public const string Name = "client";

    private const int SolIp = 0;
    private const int IpTransparent = 19;
    private const int SolSocket = 1;
    private const int SoMark = 36;

    /// <summary>A documentation address (RFC 5737) that only picks the container's outgoing interface; nothing is sent to it.</summary>
    private static readonly IPEndPoint RouteProbe = new(IPAddress.Parse("198.51.100.1"), 9);

    private IPAddress? _containerAddress;

    /// <summary>The forwarder's argument for a container at <paramref name="address"/> on a user-defined network with <paramref name="networkGateway"/>.</summary>
    public static string ArgumentFor(string address, string networkGateway) => $"{Name}={address}/{networkGateway}";

    /// <summary>The dialer an argument names, or null when it names none.</summary>
    public static ClientAddressDialer? Parse(string argument, Func<ClientAddressRoute> route)
    {
        if (argument == Name)
        {
            return new ClientAddressDialer(route());
        }

        string[] addresses = argument.StartsWith(Name + "=", StringComparison.Ordinal) ? argument[(Name.Length + 1)..].Split('/') : [];
        return addresses.Length == 2 && IPAddress.TryParse(addresses[0], out IPAddress? fixedTarget) && IPAddress.TryParse(addresses[1], out IPAddress? source)
            ? new ClientAddressDialer(route(), fixedTarget, source)
            : null;
    }

    /// <summary>Sets up the namespace before the first connection; the calling thread must already be in it.</summary>
    public void PrepareNamespace() => route.Install();

    /// <summary>
    /// A connected socket to <paramref name="containerPort"/> for the client at <paramref name="client"/>, made
    /// on the calling thread, which is in the container's network namespace.
    /// </summary>
    /// <exception cref="SocketException">The container does not accept the connection.</exception>
    public Socket Connect(IPEndPoint client, int containerPort)
    {
        IPAddress address = client.Address.IsIPv4MappedToIPv6 ? client.Address.MapToIPv4() : client.Address;
        bool local = address.AddressFamily != AddressFamily.InterNetwork || IPAddress.IsLoopback(address);
        // On pasta a local client goes to the container's loopback, as a plain connection from there.
        IPAddress? container = target ?? (local ? null : ContainerAddress());
        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (container is null)
            {
                upstream.Connect(new IPEndPoint(IPAddress.Loopback, containerPort));
                return upstream;
            }

            upstream.SetRawSocketOption(SolSocket, SoMark, Int(ClientAddressRoute.Mark));
            BindAsClient(upstream, address, client.Port, local);
            upstream.Connect(new IPEndPoint(container, containerPort));
            return upstream;
        }
        catch
        {
            upstream.Dispose();
            throw;
        }
    }

    /// <summary>Sets up the routes of UDP flows; the calling thread must be in the namespace and be the one that connects flows.</summary>
    public void PrepareDatagrams() =>
        route.InstallDatagrams(target ?? throw new InvalidOperationException("UDP ports are forwarded on user-defined networks only"));

    /// <summary>
    /// A UDP socket connected to the container's <paramref name="containerPort"/> from <paramref name="client"/>'s
    /// address and port (a client on the host's loopback: from the gateway), with the rule that brings the
    /// container's replies back to it; release the rule with <see cref="Release"/> when the flow ends.
    /// </summary>
    /// <exception cref="SocketException">The socket cannot be bound or connected.</exception>
    /// <exception cref="Skiff.Core.Errors.SystemCallException">The kernel refused the flow's rule.</exception>
    public DatagramUpstream ConnectDatagram(IPEndPoint client, int containerPort)
    {
        IPAddress container = target ?? throw new InvalidOperationException("UDP ports are forwarded on user-defined networks only");
        IPAddress address = client.Address.IsIPv4MappedToIPv6 ? client.Address.MapToIPv4() : client.Address;
        bool local = address.AddressFamily != AddressFamily.InterNetwork || IPAddress.IsLoopback(address);
        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            BindAsClient(upstream, address, client.Port, local);
            var bound = (IPEndPoint)upstream.LocalEndPoint!;
            var rule = new PortRule(PortRule.Udp, containerPort, bound.Address, bound.Port, ClientAddressRoute.DatagramTable);
            route.Steer(rule);
            try
            {
                upstream.Connect(new IPEndPoint(container, containerPort));
            }
            catch
            {
                route.Release(rule);
                throw;
            }

            return new DatagramUpstream(upstream, rule);
        }
        catch
        {
            upstream.Dispose();
            throw;
        }
    }

    /// <summary>Ends a UDP flow: its rule, then its socket.</summary>
    public void Release(DatagramUpstream flow)
    {
        route.Release(flow.Rule);
        flow.Socket.Dispose();
    }

    /// <summary>
    /// Binds a transparent <paramref name="upstream"/> to the client's address and port, or (a client on the
    /// host's loopback, with a gateway) to the gateway.
    /// </summary>
    private void BindAsClient(Socket upstream, IPAddress address, int port, bool local)
    {
        upstream.SetRawSocketOption(SolIp, IpTransparent, Int(1));
        if (local && gateway is not null)
        {
            upstream.Bind(new IPEndPoint(gateway, 0));
            return;
        }

        try
        {
            upstream.Bind(new IPEndPoint(address, port));
        }
        catch (SocketException)
        {
            // The client's port is taken there (the container's own address, a TCP connection still in TIME_WAIT,
            // the same UDP client on another published port).
            upstream.Bind(new IPEndPoint(address, 0));
        }
    }

    /// <summary>
    /// The address the container's default route leaves from, where pasta delivers its clients; without a
    /// route (pasta configured no address), clients go to its loopback like local ones.
    /// </summary>
    private IPAddress? ContainerAddress()
    {
        if (_containerAddress is not null)
        {
            return _containerAddress;
        }

        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            probe.Connect(RouteProbe);
        }
        catch (SocketException)
        {
            return null;
        }

        return _containerAddress = ((IPEndPoint)probe.LocalEndPoint!).Address;
    }

    /// <summary>An int socket option's value, in the machine's byte order as setsockopt(2) takes it.</summary>
    private static byte[] Int(int value) => BitConverter.GetBytes(value);
}

using System.Net;
using System.Net.Sockets;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// Connects forwarded clients to a pasta-connected container the way pasta shows them, without pasta's
/// user-space copy through its tap device: a client on the host's loopback is connected to the container's
/// 127.0.0.1 (pasta splices those there too), any other client to the container's own address from the
/// client's own address and port (a transparent socket; <see cref="ClientAddressRoute"/> brings the replies
/// back), so the container sees the real client, and a service bound to the container's loopback stays out
/// of reach from elsewhere, as with pasta.
/// </summary>
public sealed class ClientAddressDialer(ClientAddressRoute route) : IUpstreamDialer
{
    public const string Name = "client";

    private const int SolIp = 0;
    private const int IpTransparent = 19;
    private const int SolSocket = 1;
    private const int SoMark = 36;

    /// <summary>A documentation address (RFC 5737) that only picks the container's outgoing interface; nothing is sent to it.</summary>
    private static readonly IPEndPoint RouteProbe = new(IPAddress.Parse("198.51.100.1"), 9);

    private IPAddress? _containerAddress;

    public string Argument => Name;

    public void PrepareNamespace(string netnsPath) => route.Install(netnsPath);

    public Socket Connect(IPEndPoint client, int containerPort)
    {
        IPAddress address = client.Address.IsIPv4MappedToIPv6 ? client.Address.MapToIPv4() : client.Address;
        IPAddress? container = address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address) ? ContainerAddress() : null;
        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (container is null)
            {
                upstream.Connect(new IPEndPoint(IPAddress.Loopback, containerPort));
                return upstream;
            }

            upstream.SetRawSocketOption(SolIp, IpTransparent, Int(1));
            upstream.SetRawSocketOption(SolSocket, SoMark, Int(ClientAddressRoute.Mark));
            try
            {
                upstream.Bind(new IPEndPoint(address, client.Port));
            }
            catch (SocketException)
            {
                // The client's port is taken there (the container's own address, or a connection still in TIME_WAIT).
                upstream.Bind(new IPEndPoint(address, 0));
            }

            upstream.Connect(new IPEndPoint(container, containerPort));
            return upstream;
        }
        catch
        {
            upstream.Dispose();
            throw;
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

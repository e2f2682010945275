using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Skiff.Core.Errors;
using Skiff.Core.Processes;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Namespaces;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// Published ports of a container (<c>skiff __port-forward</c>, one per container, started and stopped by
/// its monitor; podman's rootlessport plays this part): those of a container on a user-defined network, and
/// the IPv4 ones of a pasta-connected container. It listens on the host ports in the host's network
/// namespace, then moves its main thread into the container's namespace, where the dialer connects each
/// accepted client to the container (<see cref="ClientAddressDialer"/>: the container sees the client as pasta
/// or podman's kernel bridge would show it); the bytes are spliced
/// both ways. UDP ports (user-defined networks only) are relayed datagram by datagram by a thread of their own
/// (<see cref="DatagramRelay"/>). The same for root and rootless (rootless it runs as root in the user namespace that owns the
/// container's namespace).
/// </summary>
public sealed class PortForwarder(string netnsPath, ClientAddressDialer dialer, IReadOnlyList<PublishedPort> ports)
{
    public const string Verb = "__port-forward";

    /// <summary>fd on which the forwarder reports "ok" once it listens, or the reason it cannot.</summary>
    public const int ReadyFd = ReadyHelperProcess.ReadyFd;

    private const string UdpSuffix = "/udp";

    /// <summary>The ports the forwarder publishes.</summary>
    public IReadOnlyList<PublishedPort> Ports => ports;

    /// <summary>
    /// The forwarder's argv; <paramref name="target"/> names the dialer (<see cref="ClientAddressDialer.Name"/>,
    /// <see cref="ClientAddressDialer.ArgumentFor"/>); a port is HOSTIP|HOSTPORT|PORT, with /udp for UDP.
    /// </summary>
    public static IReadOnlyList<string> BuildArguments(string netnsPath, string target, IEnumerable<PublishedPort> ports) =>
        [Verb, netnsPath, target, .. ports.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.HostIp}|{p.HostPort}|{p.ContainerPort}{(p.Protocol == "udp" ? UdpSuffix : string.Empty)}"))];

    public static PortForwarder Parse(IReadOnlyList<string> args)
    {
        ClientAddressDialer? dialer = args.Count >= 3 && args[0] == Verb
            ? ClientAddressDialer.Parse(args[2], () => new ClientAddressRoute())
            : null;
        if (dialer is null)
        {
            throw SkiffException.InvalidArgument($"usage: skiff {Verb} NETNS {ClientAddressDialer.Name}[=ADDRESS/GATEWAY] HOSTIP|HOSTPORT|PORT...");
        }

        var ports = new List<PublishedPort>();
        foreach (string argument in args.Skip(3))
        {
            bool udp = argument.EndsWith(UdpSuffix, StringComparison.Ordinal);
            string spec = udp ? argument[..^UdpSuffix.Length] : argument;
            string[] f = spec.Split('|');
            if (f.Length != 3 || !int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out int hostPort)
                || !int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out int containerPort))
            {
                throw SkiffException.InvalidArgument($"invalid port \"{argument}\"");
            }

            ports.Add(new PublishedPort { HostIp = f[0], HostPort = hostPort, ContainerPort = containerPort, Protocol = udp ? "udp" : "tcp" });
        }

        return new PortForwarder(args[1], dialer, ports);
    }

    public int Run(SafeHandle ready)
    {
        var listeners = new Dictionary<Socket, int>();
        var datagramSockets = new List<Socket>();
        var datagramPorts = new List<int>();
        using var copiers = new SpliceCopierPool(reserve: 2);
        try
        {
            foreach (PublishedPort port in ports.Where(p => p.Protocol == "udp"))
            {
                datagramSockets.Add(BindDatagram(port));
                datagramPorts.Add(port.ContainerPort);
            }

            foreach (PublishedPort port in ports.Where(p => p.Protocol != "udp"))
            {
                IPAddress address = port.HostIp.Length == 0 ? IPAddress.Any : IPAddress.Parse(port.HostIp);
                var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                try
                {
                    listener.Bind(new IPEndPoint(address, port.HostPort));
                    listener.Listen(128);
                }
                catch (SocketException e)
                {
                    listener.Dispose();
                    throw SkiffException.Unavailable($"cannot listen on {address}:{port.HostPort.ToString(CultureInfo.InvariantCulture)}: {e.Message}");
                }

                listeners[listener] = port.ContainerPort;
            }

            // From here on, sockets this thread creates are in the container's namespace; the listeners stay on the host.
            ThreadNetworkNamespace.Enter(netnsPath);
            dialer.PrepareNamespace();
            if (datagramSockets.Count > 0)
            {
                dialer.PrepareDatagrams();
            }
        }
        catch (SkiffException e)
        {
            Descriptors.WriteAll(ready, Encoding.UTF8.GetBytes(e.Message));
            return 1;
        }

        Descriptors.WriteAll(ready, "ok"u8);
        ready.Dispose();
        if (datagramSockets.Count > 0)
        {
            var relay = new DatagramRelay(datagramSockets, datagramPorts, dialer);
            if (listeners.Count == 0)
            {
                relay.Run();
                return 0;
            }

            // Started by this thread, so in the container's namespace too.
            new Thread(relay.Run, 256 * 1024) { IsBackground = true, Name = "udp-relay" }.Start();
        }

        while (true)
        {
            var readable = listeners.Keys.ToList();
            Socket.Select(readable, null, null, -1);
            foreach (Socket listener in readable)
            {
                Socket client;
                try
                {
                    client = listener.Accept();
                }
                catch (SocketException)
                {
                    continue;
                }

                Socket upstream;
                try
                {
                    upstream = dialer.Connect((IPEndPoint)client.RemoteEndPoint!, listeners[listener]);
                }
                catch (SocketException)
                {
                    client.Dispose();
                    continue;
                }

                Forward(client, upstream, copiers);
            }
        }
    }

    /// <summary>The host socket of a published UDP port, bound before the forwarder moves into the container's namespace.</summary>
    private static Socket BindDatagram(PublishedPort port)
    {
        IPAddress address = port.HostIp.Length == 0 ? IPAddress.Any : IPAddress.Parse(port.HostIp);
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // Room for bursts while the relay's thread is busy (the kernel caps this at net.core.rmem_max).
            socket.ReceiveBufferSize = 4 << 20;
            if (address.Equals(IPAddress.Any))
            {
                DatagramRelay.EnableDestinationAddress(socket);
            }

            socket.Bind(new IPEndPoint(address, port.HostPort));
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw SkiffException.Unavailable($"cannot listen on the UDP port {address}:{port.HostPort.ToString(CultureInfo.InvariantCulture)}: {e.Message}");
        }
    }

    /// <summary>
    /// One thread per direction, each moving bytes with splice(2) (<see cref="SpliceCopier"/>): no copy through user
    /// space and no per-chunk scheduling, so the forwarder adds little to the loopback path it bridges.
    /// </summary>
    private static void Forward(Socket client, Socket upstream, SpliceCopierPool copiers)
    {
        client.Blocking = false;
        upstream.Blocking = false;
        // Each splice hands the socket what arrived, which mostly ends in a partial segment; Nagle would hold
        // that tail until the peer acknowledges the rest, a wake-up of the peer per chunk.
        client.NoDelay = true;
        upstream.NoDelay = true;
        var connection = new ForwardedConnection(client, upstream);
        Start(() => Copy(client, upstream, connection, copiers));
        Start(() => Copy(upstream, client, connection, copiers));
    }

    private static void Start(Action copy)
    {
        // The threads only wait in splice: a small stack is plenty.
        var thread = new Thread(() => copy(), 256 * 1024) { IsBackground = true, Name = "port-forward" };
        thread.Start();
    }

    /// <summary>Copies until end of stream, then half-closes the other side so request/response protocols finish.</summary>
    private static void Copy(Socket from, Socket to, ForwardedConnection connection, SpliceCopierPool copiers)
    {
        SpliceCopier copier = copiers.Rent();
        bool drained = false;
        try
        {
            copier.Copy(from.SafeHandle, to.SafeHandle);
            drained = true;
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SystemCallException or SocketException or ObjectDisposedException)
        {
            // A reset on one side: end both directions (the other thread's splice returns).
            try
            {
                to.Shutdown(SocketShutdown.Both);
                from.Shutdown(SocketShutdown.Both);
            }
            catch (Exception inner) when (inner is SocketException or ObjectDisposedException)
            {
            }
        }
        finally
        {
            // A copy that failed midway may leave bytes of this connection in the pipe: it never serves another.
            if (drained)
            {
                copiers.Return(copier);
            }
            else
            {
                copier.Dispose();
            }

            connection.DirectionDone();
        }
    }
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Skiff.Core.Errors;

namespace Skiff.Rootless.Network;

/// <summary>
/// Checks that the host ports of published mappings without an address are free on the IPv4 and IPv6
/// wildcard addresses before any helper binds them: a port another program holds on one family would
/// otherwise be published on the other alone (pasta carries on when one family fails; on pasta skiff's
/// forwarder binds IPv4 and pasta IPv6), and clients of that family would reach the other program; docker
/// and podman refuse such a port instead.
/// </summary>
public static class HostPortProbe
{
    public static void EnsureFree(IEnumerable<PortMapping> ports)
    {
        foreach (PortMapping range in ports.Where(p => p.HostIp is null && p.HostPort > 0))
        {
            foreach (PortMapping port in range.Expand())
            {
                Probe(port, AddressFamily.InterNetwork);
                if (Socket.OSSupportsIPv6)
                {
                    Probe(port, AddressFamily.InterNetworkV6);
                }
            }
        }
    }

    private static int? UnprivilegedPortStart()
    {
        try
        {
            return int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_unprivileged_port_start").Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    private static void Probe(PortMapping port, AddressFamily family)
    {
        bool tcp = port.Protocol == PortProtocol.Tcp;
        using var socket = new Socket(family, tcp ? SocketType.Stream : SocketType.Dgram, tcp ? ProtocolType.Tcp : ProtocolType.Udp);
        if (family == AddressFamily.InterNetworkV6)
        {
            socket.DualMode = false;
        }

        // As a listener would: TCP connections of an earlier server still in TIME_WAIT do not make the port busy.
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, tcp);
        try
        {
            socket.Bind(new IPEndPoint(family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, port.HostPort));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            string address = family == AddressFamily.InterNetwork ? "0.0.0.0" : "[::]";
            string number = port.HostPort.ToString(CultureInfo.InvariantCulture);
            throw new SkiffException(
                ErrorKind.Unavailable,
                $"cannot listen on the {port.ProtocolName.ToUpperInvariant()} port {address}:{number}: address already in use",
                $"another program uses host port {number}; choose another with -p, or publish on one address (-p 127.0.0.1:{number}:{port.ContainerPort.ToString(CultureInfo.InvariantCulture)})");
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied && family == AddressFamily.InterNetwork)
        {
            // A port below net.ipv4.ip_unprivileged_port_start, rootless: pasta's own message ("Failed to bind
            // port 80 (Permission denied)") came with a hint about ports in use. podman says what to change.
            string number = port.HostPort.ToString(CultureInfo.InvariantCulture);
            string start = UnprivilegedPortStart() is int first ? first.ToString(CultureInfo.InvariantCulture) : "1024";
            throw new SkiffException(
                ErrorKind.PermissionDenied,
                $"cannot expose privileged port {number}: listen {port.ProtocolName} 0.0.0.0:{number}: bind: permission denied",
                $"choose a host port of {start} or more (e.g. -p 8080:{port.ContainerPort.ToString(CultureInfo.InvariantCulture)}), or let users bind it: add 'net.ipv4.ip_unprivileged_port_start={number}' to /etc/sysctl.conf (currently {start})");
        }
        catch (SocketException)
        {
            // Anything else (no IPv6 on the host) is for the helper to report.
        }
    }
}

using System.Net;
using System.Net.Sockets;
using Skiff.Core.Errors;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// The published UDP ports of a container on a user-defined network, relayed by one thread that is in the
/// container's network namespace. Each port has a socket bound on the host (made before the thread moved);
/// each client of a port gets a flow, a socket in the container's namespace connected to the container's
/// port from the client's address (<see cref="ClientAddressDialer.ConnectDatagram"/>), so the container sees
/// the client as it sees a TCP client; the container's answers go back to that client from the published
/// port. Datagrams pass whole (up to 65507 bytes, the most IPv4 carries) and one at a time, never merged or
/// split; one that cannot be sent at once (a full socket buffer, a container that refused an earlier one) is
/// dropped, as a network drops it. Flows end when idle (<see cref="DatagramFlowTable{TFlow}"/>).
/// </summary>
public sealed class DatagramRelay(IReadOnlyList<Socket> hosts, IReadOnlyList<int> containerPorts, ClientAddressDialer dialer, int capacity = DatagramRelay.DefaultCapacity)
{
    /// <summary>Flows at once: 4096 sockets in the container's namespace at most, well under the forwarder's open-file limit.</summary>
    public const int DefaultCapacity = 4096;

    /// <summary>Datagrams moved from one socket before the others get their turn.</summary>
    private const int Burst = 64;

    private readonly DatagramFlowTable<DatagramFlow> _flows = new(capacity);
    private readonly Dictionary<Socket, DatagramFlow> _bySocket = [];
    private readonly byte[] _buffer = new byte[65536];

    /// <summary>Relays until the process ends; <see cref="ClientAddressDialer.PrepareDatagrams"/> must have run in the container's network namespace, as must the calling thread.</summary>
    public void Run()
    {
        var ports = new Dictionary<Socket, int>();
        for (int i = 0; i < hosts.Count; i++)
        {
            hosts[i].Blocking = false;
            ports[hosts[i]] = i;
        }

        var readable = new List<Socket>();
        while (true)
        {
            readable.Clear();
            readable.AddRange(hosts);
            readable.AddRange(_bySocket.Keys);
            long? wait = _flows.UntilNextExpiry(Environment.TickCount64);
            Socket.Select(readable, null, null, wait is long ms ? (int)Math.Min(ms * 1000, int.MaxValue) : -1);
            long now = Environment.TickCount64;
            foreach (Socket socket in readable)
            {
                if (ports.TryGetValue(socket, out int port))
                {
                    FromClients(socket, port, now);
                }
                else if (_bySocket.TryGetValue(socket, out DatagramFlow? flow))
                {
                    FromContainer(flow, now);
                }
            }

            foreach (DatagramFlow expired in _flows.RemoveExpired(now))
            {
                Close(expired);
            }
        }
    }

    private void FromClients(Socket host, int port, long now)
    {
        for (int i = 0; i < Burst; i++)
        {
            EndPoint from = new IPEndPoint(host.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
            int length;
            try
            {
                length = host.ReceiveFrom(_buffer, ref from);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                return;
            }
            catch (SocketException)
            {
                // An ICMP error for an earlier answer to a client that went away.
                continue;
            }

            var key = new DatagramFlowKey(port, (IPEndPoint)from);
            DatagramFlow? flow = _flows.Find(key, now) ?? Open(key, now);
            if (flow is not null)
            {
                Send(flow.Upstream.Socket, _buffer.AsSpan(0, length), null);
            }
        }
    }

    private void FromContainer(DatagramFlow flow, long now)
    {
        Socket host = hosts[flow.Key.Port];
        for (int i = 0; i < Burst; i++)
        {
            int length;
            try
            {
                length = flow.Upstream.Socket.Receive(_buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                return;
            }
            catch (SocketException)
            {
                // The container's port refused a datagram (ICMP port unreachable): nothing listens there yet.
                continue;
            }

            _flows.Answered(flow.Key, now);
            Send(host, _buffer.AsSpan(0, length), flow.Key.Client);
        }
    }

    private DatagramFlow? Open(DatagramFlowKey key, long now)
    {
        DatagramUpstream upstream;
        try
        {
            upstream = dialer.ConnectDatagram(key.Client, containerPorts[key.Port]);
        }
        catch (Exception e) when (e is SocketException or SystemCallException)
        {
            // Out of sockets or rules for now: this datagram is dropped, the client's next one tries again.
            return null;
        }

        upstream.Socket.Blocking = false;
        var flow = new DatagramFlow(key, upstream);
        _bySocket.Add(upstream.Socket, flow);
        if (_flows.Add(key, flow, now) is { } displaced)
        {
            Close(displaced);
        }

        return flow;
    }

    private void Close(DatagramFlow flow)
    {
        _bySocket.Remove(flow.Upstream.Socket);
        dialer.Release(flow.Upstream);
    }

    private static void Send(Socket socket, ReadOnlySpan<byte> datagram, EndPoint? to)
    {
        try
        {
            if (to is null)
            {
                socket.Send(datagram);
            }
            else
            {
                socket.SendTo(datagram, to);
            }
        }
        catch (SocketException)
        {
            // A full buffer or a pending ICMP error: dropped, as a congested network drops it.
        }
    }
}

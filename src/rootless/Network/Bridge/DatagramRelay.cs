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
/// port, from the host address the client sent to. Datagrams pass whole (up to 65507 bytes, the most IPv4 carries) and one at a time, never merged or
/// split; one that cannot be sent at once (a full socket buffer, a container that refused an earlier one) is
/// dropped, as a network drops it. Flows end when idle (<see cref="DatagramFlowTable{TFlow}"/>).
/// </summary>
public sealed class DatagramRelay(IReadOnlyList<Socket> hosts, IReadOnlyList<int> containerPorts, ClientAddressDialer dialer, int capacity = DatagramRelay.DefaultCapacity)
{
    /// <summary>
    /// Flows at once. Each has a routing rule in the container's namespace, and the kernel walks the rules in
    /// order for every route lookup there (each datagram an unconnected socket sends): 1024 keeps that walk
    /// short while serving far more clients than a container's UDP service usually has at once.
    /// </summary>
    public const int DefaultCapacity = 1024;

    /// <summary>Datagrams moved from one socket before the others get their turn.</summary>
    private const int Burst = 64;

    private readonly DatagramFlowTable<DatagramFlow> _flows = new(capacity);
    private readonly Dictionary<Socket, DatagramFlow> _bySocket = [];
    private readonly byte[] _buffer = new byte[65536];

    /// <summary>
    /// Per port: its host socket is bound to 0.0.0.0 (with IP_PKTINFO on, <see cref="EnableDestinationAddress"/>),
    /// so each client's answers are sent from the address that client sent to.
    /// </summary>
    private readonly bool[] _everyAddress = hosts.Select(h => h.LocalEndPoint is IPEndPoint { Address: var a } && a.Equals(IPAddress.Any)).ToArray();

    /// <summary>Asks a host socket bound to 0.0.0.0 for each datagram's destination address; call before binding.</summary>
    public static void EnableDestinationAddress(Socket host) =>
        host.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);

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

    /// <summary>
    /// Moves what the host socket holds: the first datagram because the socket polled readable, then more
    /// while it reports one waiting. No receive runs dry: a receive that would block throws in .NET, and an
    /// exception per wake-up cost the relay more than the datagram did.
    /// </summary>
    private void FromClients(Socket host, int port, long now)
    {
        for (int i = 0; i < Burst && (i == 0 || host.Available > 0); i++)
        {
            EndPoint from = new IPEndPoint(host.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
            int length;
            IPAddress? destination = null;
            try
            {
                if (_everyAddress[port])
                {
                    SocketFlags flags = SocketFlags.None;
                    length = host.ReceiveMessageFrom(_buffer, ref flags, ref from, out IPPacketInformation packet);
                    destination = packet.Address;
                }
                else
                {
                    length = host.ReceiveFrom(_buffer, ref from);
                }
            }
            catch (SocketException)
            {
                // An ICMP error for an earlier answer to a client that went away, or nothing there after all.
                return;
            }

            var key = new DatagramFlowKey(port, (IPEndPoint)from);
            DatagramFlow? flow = _flows.Find(key, now) ?? Open(key, now);
            if (flow is not null)
            {
                flow.ReplyFrom = destination;
                Send(flow.Upstream.Socket, _buffer.AsSpan(0, length), null);
            }
        }
    }

    private void FromContainer(DatagramFlow flow, long now)
    {
        Socket host = hosts[flow.Key.Port];
        Socket upstream = flow.Upstream.Socket;
        for (int i = 0; i < Burst && (i == 0 || upstream.Available > 0); i++)
        {
            // Errors come back as codes here: a refused datagram (ICMP port unreachable: nothing listens on
            // the container's port yet) or nothing there after all.
            int length = upstream.Receive(_buffer, SocketFlags.None, out SocketError error);
            if (error != SocketError.Success)
            {
                return;
            }

            _flows.Answered(flow.Key, now);
            // A source the kernel refuses (the client sent to a broadcast address) leaves the choice to the route.
            if (flow.ReplyFrom is not { } source || !SourceAddressedSend.TrySend(host, _buffer.AsSpan(0, length), flow.Key.Client, source))
            {
                Send(host, _buffer.AsSpan(0, length), flow.Key.Client);
            }
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

using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Memory;

namespace Skiff.Rootless.Network.Dns;

/// <summary>
/// A network's DNS responder (<c>skiff __dns</c>, podman's aardvark-dns): UDP and TCP on the network's
/// gateway addresses only (IPv4, and IPv6 on a dual-stack network), one thread, one poll loop. Names of the network's containers are answered from the
/// records file; other names are forwarded, each query on its own socket (a fresh source port), to the
/// upstream servers in turn, a few seconds each, and the answer relayed; when none answers the client gets
/// SERVFAIL. A query that came over UDP goes out over UDP (a truncated answer stays truncated, and the client
/// retries over TCP), one that came over TCP goes out over TCP, so a large answer arrives whole. The loop ends when the records file is removed (the network has no containers left).
/// </summary>
/// <param name="listen">The gateway addresses and port 53: one UDP and one TCP socket each.</param>
/// <param name="records">The network's records file.</param>
/// <param name="upstreams">Where other names go.</param>
/// <param name="trimWhenIdle">Give back memory when idle (the <c>__dns</c> process; not a responder hosted in another process).</param>
public sealed class DnsServer(IReadOnlyList<IPEndPoint> listen, DnsRecordsFile records, DnsUpstreams upstreams, bool trimWhenIdle = false)
{
    public const string Verb = "__dns";

    /// <summary>fd on which the responder reports "ok" once it listens, or the reason it cannot.</summary>
    public const int ReadyFd = ReadyHelperProcess.ReadyFd;

    /// <summary>How long one upstream server has to answer before the next one is asked.</summary>
    public static readonly TimeSpan UpstreamTimeout = TimeSpan.FromMilliseconds(2000);

    private const int MaxPending = 128;
    private const int MaxDnsTcpClients = 32;
    private const int TcpIdleMilliseconds = 10_000;
    private const int WatchMilliseconds = 1000;

    /// <summary>Quiet time after which the responder gives back its start-up and busy-spell memory (<see cref="IdleMemory"/>).</summary>
    private const int TrimAfterMilliseconds = 3000;

    private readonly List<DnsPendingQuery> pending = [];
    private readonly List<DnsTcpClient> tcpClients = [];
    private readonly byte[] buffer = new byte[65535];

    /// <param name="listen">The addresses to listen on (the network's gateways), joined by commas in one argument.</param>
    /// <param name="recordsFile">The network's records file.</param>
    /// <param name="upstreamServers">Where other names go.</param>
    public static IReadOnlyList<string> BuildArguments(IEnumerable<string> listen, string recordsFile, IEnumerable<string> upstreamServers) =>
        [Verb, string.Join(',', listen), recordsFile, .. upstreamServers];

    public static DnsServer Parse(IReadOnlyList<string> args)
    {
        var listen = new List<IPEndPoint>();
        foreach (string address in args.Count > 1 ? args[1].Split(',') : [])
        {
            if (!DnsUpstreams.TryParseEndpoint(address, out IPEndPoint endpoint))
            {
                listen.Clear();
                break;
            }

            listen.Add(endpoint);
        }

        if (args.Count < 3 || args[0] != Verb || listen.Count == 0)
        {
            throw SkiffException.InvalidArgument($"usage: skiff {Verb} ADDRESS[:PORT][,ADDRESS[:PORT]]... RECORDS-FILE [UPSTREAM[:PORT]]...");
        }

        var given = new List<IPEndPoint>();
        foreach (string server in args.Skip(3))
        {
            if (!DnsUpstreams.TryParseEndpoint(server, out IPEndPoint endpoint))
            {
                throw SkiffException.InvalidArgument($"invalid DNS server \"{server}\"");
            }

            given.Add(endpoint);
        }

        return new DnsServer(listen, new DnsRecordsFile(args[2]), new DnsUpstreams(given), trimWhenIdle: true);
    }

    /// <summary>Serves until the records file is gone; <paramref name="ready"/> gets "ok" or the reason it cannot listen.</summary>
    public int Run(SafeHandle? ready)
    {
        List<(Socket Udp, Socket Tcp)> listeners = [];
        try
        {
            foreach (IPEndPoint endpoint in listen)
            {
                listeners.Add(Listen(endpoint));
            }
        }
        catch (SkiffException e)
        {
            foreach ((Socket udp, Socket tcp) in listeners)
            {
                udp.Dispose();
                tcp.Dispose();
            }

            if (ready is not null)
            {
                Descriptors.WriteAll(ready, Encoding.UTF8.GetBytes(e.Message));
            }

            return 1;
        }

        if (ready is not null)
        {
            Descriptors.WriteAll(ready, "ok"u8);
            ready.Dispose();
        }

        try
        {
            Serve(listeners);
        }
        finally
        {
            foreach ((Socket udp, Socket tcp) in listeners)
            {
                udp.Dispose();
                tcp.Dispose();
            }
        }

        return 0;
    }

    private static (Socket Udp, Socket Tcp) Listen(IPEndPoint listen)
    {
        var udp = new Socket(listen.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        var tcp = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            udp.Bind(listen);
            tcp.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            tcp.Bind(listen);
            tcp.Listen(16);
            udp.Blocking = false;
            tcp.Blocking = false;
            return (udp, tcp);
        }
        catch (SocketException e)
        {
            udp.Dispose();
            tcp.Dispose();
            throw SkiffException.Unavailable($"cannot listen on {listen} for DNS: {e.Message}");
        }
    }

    private void Serve(IReadOnlyList<(Socket Udp, Socket Tcp)> listeners)
    {
        var poll = new PollSet();
        long nextWatch = Environment.TickCount64 + WatchMilliseconds;
        long trimAt = trimWhenIdle ? Environment.TickCount64 + TrimAfterMilliseconds : 0;
        while (true)
        {
            long now = Environment.TickCount64;
            if (now >= nextWatch)
            {
                if (!records.Exists())
                {
                    return;
                }

                nextWatch = now + WatchMilliseconds;
            }

            if (trimAt != 0 && now >= trimAt && pending.Count == 0)
            {
                // Mostly idle for its whole life: its resident pages are mostly skiff's code from the start.
                IdleMemory.Trim();
                trimAt = 0;
            }

            ExpireQueries(now);
            ExpireDnsTcpClients(now);

            poll.Clear();
            // Each listener's UDP socket, then its TCP socket.
            int firstListener = -1;
            foreach ((Socket udp, Socket tcp) in listeners)
            {
                int index = poll.Add(udp.SafeHandle);
                poll.Add(tcp.SafeHandle);
                firstListener = firstListener < 0 ? index : firstListener;
            }
            int firstPending = -1;
            foreach (DnsPendingQuery query in pending)
            {
                int index = poll.Add(query.Upstream.SafeHandle, writable: query.Stream is { Sending: true });
                firstPending = firstPending < 0 ? index : firstPending;
            }

            int firstClient = -1;
            foreach (DnsTcpClient client in tcpClients)
            {
                int index = poll.Add(client.Socket.SafeHandle);
                firstClient = firstClient < 0 ? index : firstClient;
            }

            long wake = nextWatch;
            foreach (DnsPendingQuery query in pending)
            {
                wake = Math.Min(wake, query.Deadline);
            }

            foreach (DnsTcpClient client in tcpClients)
            {
                wake = Math.Min(wake, client.Deadline);
            }

            if (trimAt != 0)
            {
                wake = Math.Min(wake, trimAt);
            }

            if (poll.Wait((int)Math.Clamp(wake - Environment.TickCount64, 0, WatchMilliseconds)) > 0 && trimWhenIdle)
            {
                trimAt = Environment.TickCount64 + TrimAfterMilliseconds;
            }

            // Collect the ready ones before handling any: handling changes the lists.
            List<DnsPendingQuery> writable = pending.Where((_, i) => poll.Writable(firstPending + i)).ToList();
            List<DnsPendingQuery> answered = pending.Where((_, i) => poll.Ready(firstPending + i)).ToList();
            List<DnsTcpClient> readable = tcpClients.Where((_, i) => poll.Ready(firstClient + i)).ToList();
            foreach (DnsPendingQuery query in writable.Where(q => !answered.Contains(q)))
            {
                SendUpstream(query);
            }

            foreach (DnsPendingQuery query in answered)
            {
                ReceiveUpstream(query);
            }

            foreach (DnsTcpClient client in readable)
            {
                ReadTcp(client);
            }

            for (int i = 0; i < listeners.Count; i++)
            {
                if (poll.Ready(firstListener + (2 * i)))
                {
                    ReceiveUdp(listeners[i].Udp);
                }

                if (poll.Ready(firstListener + (2 * i) + 1))
                {
                    AcceptTcp(listeners[i].Tcp);
                }
            }
        }
    }

    private void ReceiveUdp(Socket udp)
    {
        // Drain what is queued; a burst does not wait for more poll rounds.
        for (int i = 0; i < 64; i++)
        {
            EndPoint from = new IPEndPoint(udp.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
            int n;
            try
            {
                n = udp.ReceiveFrom(buffer, ref from);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                return;
            }
            catch (SocketException)
            {
                // An ICMP error from an earlier send: nothing to do for it.
                continue;
            }

            byte[] query = buffer.AsSpan(0, n).ToArray();
            Handle(udp, query, from, null);
        }
    }

    /// <summary>
    /// Answers from the records, or forwards; <paramref name="client"/> set for TCP, <paramref name="udp"/> (the
    /// socket the query came in on, which the answer goes out of) and <paramref name="from"/> for UDP.
    /// </summary>
    private void Handle(Socket? udp, byte[] query, EndPoint? from, DnsTcpClient? client)
    {
        int maxSize = client is null ? DnsCodec.ClassicUdpSize : ushort.MaxValue;
        byte[]? response = DnsAnswerer.Answer(query, records.Current(), maxSize, out bool forward);
        if (response is not null)
        {
            Reply(udp, response, from, client);
            return;
        }

        if (forward)
        {
            Forward(udp, query, from, client, 0);
        }
    }

    private void Forward(Socket? udp, byte[] query, EndPoint? from, DnsTcpClient? client, int serverIndex)
    {
        IReadOnlyList<IPEndPoint> servers = upstreams.Current();
        while (serverIndex < servers.Count && pending.Count < MaxPending)
        {
            long deadline = Environment.TickCount64 + (long)UpstreamTimeout.TotalMilliseconds;
            if (client is not null)
            {
                try
                {
                    (Socket stream, DnsStreamExchange exchange) = DnsStreamExchange.Start(servers[serverIndex], query);
                    pending.Add(new DnsPendingQuery(stream, query, udp, from, client, serverIndex, deadline, exchange));
                    return;
                }
                catch (SocketException)
                {
                    serverIndex++;
                    continue;
                }
            }

            var upstream = new Socket(servers[serverIndex].AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                upstream.Connect(servers[serverIndex]);
                upstream.Blocking = false;
                upstream.Send(query);
                pending.Add(new DnsPendingQuery(upstream, query, udp, from, client, serverIndex, deadline));
                return;
            }
            catch (SocketException)
            {
                upstream.Dispose();
                serverIndex++;
            }
        }

        if (DnsAnswerer.ServerFailure(query) is byte[] failure)
        {
            Reply(udp, failure, from, client);
        }
    }

    private void SendUpstream(DnsPendingQuery query)
    {
        try
        {
            query.Stream!.Send(query.Upstream);
        }
        catch (SocketException)
        {
            // Refused or reset: the next server.
            Retire(query);
            Forward(query.Listener, query.Query, query.From, query.Client, query.ServerIndex + 1);
        }
    }

    private void ReceiveUpstream(DnsPendingQuery query)
    {
        if (!pending.Contains(query))
        {
            // Retired by a failed send in this round.
            return;
        }

        byte[] answer;
        int n;
        try
        {
            if (query.Stream is { } stream)
            {
                if (stream.Receive(query.Upstream) is not byte[] whole)
                {
                    return;
                }

                answer = whole;
                n = whole.Length;
            }
            else
            {
                n = query.Upstream.Receive(buffer);
                answer = buffer;
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            return;
        }
        catch (SocketException)
        {
            // Refused (ICMP port unreachable): the next server.
            Retire(query);
            Forward(query.Listener, query.Query, query.From, query.Client, query.ServerIndex + 1);
            return;
        }

        // The answer to this query: same id, a response. Anything else on this socket is ignored.
        if (n < DnsHeader.Size || !DnsHeader.TryRead(answer.AsSpan(0, n), out DnsHeader header) || !header.IsResponse
            || header.Id != BinaryPrimitives.ReadUInt16BigEndian(query.Query))
        {
            if (query.Stream is not null)
            {
                // Over TCP the one message is the answer: a wrong one ends this server's turn.
                Retire(query);
                Forward(query.Listener, query.Query, query.From, query.Client, query.ServerIndex + 1);
            }

            return;
        }

        Retire(query);
        Reply(query.Listener, answer.AsSpan(0, n).ToArray(), query.From, query.Client);
    }

    private void ExpireQueries(long now)
    {
        foreach (DnsPendingQuery query in pending.Where(q => q.Deadline <= now).ToList())
        {
            Retire(query);
            Forward(query.Listener, query.Query, query.From, query.Client, query.ServerIndex + 1);
        }
    }

    private void Retire(DnsPendingQuery query)
    {
        pending.Remove(query);
        query.Upstream.Dispose();
    }

    private void Reply(Socket? udp, byte[] response, EndPoint? to, DnsTcpClient? client)
    {
        try
        {
            if (client is null)
            {
                udp!.SendTo(response, to!);
                return;
            }

            if (!tcpClients.Contains(client))
            {
                return;
            }

            byte[] framed = new byte[2 + response.Length];
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)response.Length);
            response.CopyTo(framed, 2);
            // A client that does not read its answers is dropped rather than waited for.
            if (client.Socket.Send(framed) != framed.Length)
            {
                Close(client);
            }
        }
        catch (SocketException)
        {
            if (client is not null)
            {
                Close(client);
            }
        }
    }

    private void AcceptTcp(Socket tcp)
    {
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = tcp.Accept();
            }
            catch (SocketException)
            {
                return;
            }

            if (tcpClients.Count >= MaxDnsTcpClients)
            {
                accepted.Dispose();
                continue;
            }

            accepted.Blocking = false;
            tcpClients.Add(new DnsTcpClient(accepted, Environment.TickCount64 + TcpIdleMilliseconds));
        }
    }

    /// <summary>Reads length-prefixed queries (RFC 1035 4.2.2); answers each complete one.</summary>
    private void ReadTcp(DnsTcpClient client)
    {
        int n;
        try
        {
            n = client.Socket.Receive(client.Buffer, client.Filled, client.Buffer.Length - client.Filled, SocketFlags.None);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            return;
        }
        catch (SocketException)
        {
            Close(client);
            return;
        }

        if (n == 0)
        {
            Close(client);
            return;
        }

        client.Filled += n;
        client.Deadline = Environment.TickCount64 + TcpIdleMilliseconds;
        while (client.Filled >= 2)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(client.Buffer);
            if (client.Filled < 2 + length)
            {
                break;
            }

            byte[] query = client.Buffer.AsSpan(2, length).ToArray();
            client.Buffer.AsSpan(2 + length, client.Filled - 2 - length).CopyTo(client.Buffer);
            client.Filled -= 2 + length;
            Handle(null, query, null, client);
        }
    }

    private void ExpireDnsTcpClients(long now)
    {
        foreach (DnsTcpClient client in tcpClients.Where(c => c.Deadline <= now && !pending.Any(q => q.Client == c)).ToList())
        {
            Close(client);
        }
    }

    private void Close(DnsTcpClient client)
    {
        tcpClients.Remove(client);
        client.Socket.Dispose();
    }
}

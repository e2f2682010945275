using System.Buffers.Binary;
using System.IO.Pipes;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Skiff.Rootless.Network.Dns;

namespace Skiff.Tests.Unit.Network;

/// <summary>The responder's loop on real loopback sockets: local answers, reloads, forwarding to a fake upstream, SERVFAIL, TCP, and its end.</summary>
public sealed class DnsServerTests : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(15);

    private readonly string directory = Directory.CreateTempSubdirectory("skiff-dns-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task Answers_local_names_sees_new_records_and_ends_when_the_records_file_is_removed()
    {
        string records = Path.Combine(directory, "net.dns");
        File.WriteAllText(records, "10.89.0.2 web\n");
        IPEndPoint listen = FreeEndpoint();
        Task<int> server = Start(new DnsServer([listen], new DnsRecordsFile(records), new DnsUpstreams([])));

        Assert.Equal(["10.89.0.2"], DnsMessages.Addresses(await QueryUdpAsync(listen, "web")));

        File.WriteAllText(records + ".new", "10.89.0.2 web\n10.89.0.9 late\n");
        File.Move(records + ".new", records, overwrite: true);
        Assert.Equal(["10.89.0.9"], DnsMessages.Addresses(await QueryUdpAsync(listen, "late.dns.podman")));

        byte[] overTcp = await QueryTcpAsync(listen, "WEB");
        Assert.Equal(["10.89.0.2"], DnsMessages.Addresses(overTcp));

        File.Delete(records);
        Assert.Equal(0, await server.WaitAsync(Guard));
    }

    [Fact]
    public async Task Other_names_are_relayed_from_the_upstream_and_a_silent_or_refusing_upstream_gives_servfail()
    {
        string records = Path.Combine(directory, "net.dns");
        File.WriteAllText(records, "10.89.0.2 web\n");
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        upstream.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Task fake = Task.Run(() => AnswerOnce(upstream, [192, 0, 2, 7]));
        IPEndPoint listen = FreeEndpoint();
        Task<int> server = Start(new DnsServer([listen], new DnsRecordsFile(records), new DnsUpstreams([(IPEndPoint)upstream.LocalEndPoint!])));

        byte[] relayed = await QueryUdpAsync(listen, "outside.example", id: 0x4242);
        Assert.Equal(0x4242, DnsMessages.Id(relayed));
        Assert.Equal(["192.0.2.7"], DnsMessages.Addresses(relayed));
        await fake.WaitAsync(Guard);

        // The fake answered once; the next query goes unanswered until the upstream's time is up.
        byte[] failed = await QueryUdpAsync(listen, "silent.example");
        Assert.Equal(DnsTypes.ServerFailure, DnsMessages.ResponseCode(failed));
        File.Delete(records);
        Assert.Equal(0, await server.WaitAsync(Guard));

        // A port nobody listens on refuses at once.
        File.WriteAllText(records, string.Empty);
        IPEndPoint closed = FreeEndpoint();
        listen = FreeEndpoint();
        server = Start(new DnsServer([listen], new DnsRecordsFile(records), new DnsUpstreams([closed])));
        Assert.Equal(DnsTypes.ServerFailure, DnsMessages.ResponseCode(await QueryUdpAsync(listen, "refused.example")));
        File.Delete(records);
        Assert.Equal(0, await server.WaitAsync(Guard));
    }

    [Fact]
    public async Task A_query_over_tcp_is_forwarded_over_tcp_and_gets_an_answer_too_large_for_udp()
    {
        string records = Path.Combine(directory, "net.dns");
        File.WriteAllText(records, "10.89.0.2 web\n");
        IPEndPoint upstreamAt = FreeEndpoint();
        using var udpUpstream = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udpUpstream.Bind(upstreamAt);
        using var tcpUpstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        tcpUpstream.Bind(upstreamAt);
        tcpUpstream.Listen(4);
        Task fakeUdp = Task.Run(() => AnswerTruncated(udpUpstream));
        Task fakeTcp = Task.Run(() => AnswerOverTcp(tcpUpstream, 200));
        IPEndPoint listen = FreeEndpoint();
        Task<int> server = Start(new DnsServer([listen], new DnsRecordsFile(records), new DnsUpstreams([upstreamAt])));

        byte[] overUdp = await QueryUdpAsync(listen, "big.example");
        Assert.True(DnsMessages.Truncated(overUdp));
        Assert.Empty(DnsMessages.Addresses(overUdp));
        await fakeUdp.WaitAsync(Guard);

        byte[] overTcp = await QueryTcpAsync(listen, "big.example");
        Assert.False(DnsMessages.Truncated(overTcp));
        Assert.Equal(200, DnsMessages.Addresses(overTcp).Count);
        Assert.Equal("10.0.0.199", DnsMessages.Addresses(overTcp)[^1]);
        await fakeTcp.WaitAsync(Guard);

        // An upstream that refuses TCP: SERVFAIL over TCP, not a hang.
        File.Delete(records);
        Assert.Equal(0, await server.WaitAsync(Guard));
        File.WriteAllText(records, string.Empty);
        listen = FreeEndpoint();
        server = Start(new DnsServer([listen], new DnsRecordsFile(records), new DnsUpstreams([FreeEndpoint()])));
        Assert.Equal(DnsTypes.ServerFailure, DnsMessages.ResponseCode(await QueryTcpAsync(listen, "refused.example")));
        File.Delete(records);
        Assert.Equal(0, await server.WaitAsync(Guard));
    }

    [Fact]
    public async Task Listens_on_every_address_given_and_answers_each_client_from_the_address_it_asked()
    {
        string records = Path.Combine(directory, "net.dns");
        File.WriteAllText(records, "10.89.0.2 web\n");
        IPEndPoint v4 = FreeEndpoint();
        var v6 = new IPEndPoint(IPAddress.IPv6Loopback, v4.Port);
        Task<int> server = Start(new DnsServer([v4, v6], new DnsRecordsFile(records), new DnsUpstreams([])));

        Assert.Equal(["10.89.0.2"], DnsMessages.Addresses(await QueryUdpAsync(v4, "web")));
        // A connected UDP socket takes only answers from the address it sent to.
        Assert.Equal(["10.89.0.2"], DnsMessages.Addresses(await QueryUdpAsync(v6, "web")));
        Assert.Equal(["10.89.0.2"], DnsMessages.Addresses(await QueryTcpAsync(v6, "web")));

        File.Delete(records);
        Assert.Equal(0, await server.WaitAsync(Guard));
    }

    [Fact]
    public void Listening_on_an_address_in_use_is_reported()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        string records = Path.Combine(directory, "net.dns");
        File.WriteAllText(records, string.Empty);
        var server = new DnsServer([(IPEndPoint)taken.LocalEndPoint!], new DnsRecordsFile(records), new DnsUpstreams([]));
        Assert.Equal(1, server.Run(null));
    }

    /// <summary>Starts the server and returns once it listens (its ready pipe says "ok"): a TCP query sent sooner is refused.</summary>
    private static Task<int> Start(DnsServer server)
    {
        using var ready = new AnonymousPipeServerStream(PipeDirection.In);
        SafePipeHandle writeEnd = ready.ClientSafePipeHandle;
        Task<int> running = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    return server.Run(writeEnd);
                }
                finally
                {
                    writeEnd.Dispose();
                }
            },
            TaskCreationOptions.LongRunning);
        byte[] answer = new byte[256];
        Assert.Equal("ok", Encoding.UTF8.GetString(answer, 0, ready.Read(answer)));
        return running;
    }

    /// <summary>A loopback port free for both UDP and TCP right now.</summary>
    private static IPEndPoint FreeEndpoint()
    {
        while (true)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var endpoint = (IPEndPoint)udp.LocalEndPoint!;
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                tcp.Bind(endpoint);
                return endpoint;
            }
            catch (SocketException)
            {
            }
        }
    }

    private static async Task<byte[]> QueryUdpAsync(IPEndPoint server, string name, ushort id = 0x1234)
    {
        using var client = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        client.Connect(server);
        byte[] response = new byte[4096];
        // Asked once: the server listens once Start returns, and a query sent again would reach the fake
        // upstreams, which answer one query each, so a slow first answer (a loaded machine) became a SERVFAIL.
        await client.SendAsync(DnsMessages.Query(name, id: id));
        using var timeout = new CancellationTokenSource(Guard);
        int n = await client.ReceiveAsync(response, SocketFlags.None, timeout.Token);
        return response[..n];
    }

    private static async Task<byte[]> QueryTcpAsync(IPEndPoint server, string name)
    {
        using var client = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(Guard);
        await client.ConnectAsync(server, timeout.Token);
        byte[] query = DnsMessages.Query(name);
        byte[] framed = new byte[2 + query.Length];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        await client.SendAsync(framed, timeout.Token);
        byte[] length = new byte[2];
        await client.ReceiveAsync(length, timeout.Token);
        byte[] response = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
        int read = 0;
        while (read < response.Length)
        {
            read += await client.ReceiveAsync(response.AsMemory(read), timeout.Token);
        }

        return response;
    }

    /// <summary>A fake upstream over UDP: answers the first query with no records and the truncated flag (the answer does not fit).</summary>
    private static void AnswerTruncated(Socket upstream)
    {
        byte[] query = new byte[512];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        int n = upstream.ReceiveFrom(query, ref from);
        byte[] answer = query[..n];
        answer[2] |= 0x82;
        upstream.SendTo(answer, from);
    }

    /// <summary>A fake upstream over TCP: answers the first query with <paramref name="count"/> A records (10.0.0.0 on).</summary>
    private static void AnswerOverTcp(Socket listener, int count)
    {
        using Socket connection = listener.Accept();
        byte[] length = new byte[2];
        connection.Receive(length);
        byte[] query = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
        int read = 0;
        while (read < query.Length)
        {
            read += connection.Receive(query, read, query.Length - read, SocketFlags.None);
        }

        var answer = new List<byte>(query);
        answer[2] |= 0x80;
        answer[6] = (byte)(count >> 8);
        answer[7] = (byte)count;
        for (int i = 0; i < count; i++)
        {
            answer.AddRange([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, (byte)(i >> 8), (byte)i]);
        }

        byte[] framed = [(byte)(answer.Count >> 8), (byte)answer.Count, .. answer];
        // Two writes: the responder must put a split answer together.
        connection.Send(framed.AsSpan(0, 100));
        Thread.Sleep(50);
        connection.Send(framed.AsSpan(100));
    }

    /// <summary>A fake upstream: answers the first query with one A record for its question.</summary>
    private static void AnswerOnce(Socket upstream, byte[] address)
    {
        byte[] query = new byte[512];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        int n = upstream.ReceiveFrom(query, ref from);
        byte[] answer = new byte[n + 16];
        query.AsSpan(0, n).CopyTo(answer);
        answer[2] |= 0x80;
        answer[7] = 1;
        byte[] record = [0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, .. address];
        record.CopyTo(answer, n);
        upstream.SendTo(answer, from);
    }
}

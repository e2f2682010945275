using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Network;

/// <summary>
/// Published UDP ports of a container on a user-defined network, served by skiff's forwarder: each client
/// gets its own answers, a datagram of the most IPv4 carries passes whole, ranges and -P with an exposed UDP
/// port work, answers leave from the address the client sent to, the container sees a remote client with its own address and a client on the host's loopback
/// from the network's gateway (as for TCP), the ports are listed as TCP ones are, and the forwarder ends
/// with the container.
/// </summary>
[Trait("Category", "E2E")]
[Collection(UserNetworkCollection.Name)]
public sealed class PublishedUdpPortTests(ITestOutputHelper output)
{
    private const string Serve = "udpecho serve 7000 & udpecho serve 7001 & udpecho serve 7002 & exec udpecho serve 53";

    [Theory, RootAndRootless]
    public async Task A_udp_port_on_a_user_network_answers_each_client_on_its_own_flow(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string udpecho = await UdpEcho.ImportImageAsync(skiff, "udpecho");
        await using RemoteClientNamespace remote = await RemoteClientNamespace.CreateAsync(output);
        string network = "net" + Guid.NewGuid().ToString("N")[..8];
        (await skiff.RunAsync("network", "create", network)).AssertSuccess();
        int port = FreeUdpPort();
        int range = FreeUdpRange();
        int everywhere = FreeUdpPort();
        try
        {
            string id = (await skiff.RunAsync("run", "-d", "--name", "echo", "--network", network,
                "-p", $"127.0.0.1:{Num(port)}:53/udp", "-p", $"127.0.0.1:{Num(range)}-{Num(range + 1)}:7000-7001/udp", "-p", $"{Num(everywhere)}:53/udp",
                "--expose", "7001/udp", "--expose", "7002/udp", "-P", "udpecho", "sh", "-c", Serve)).AssertSuccess().Stdout.Trim();
            string gateway = (await skiff.RunAsync("network", "inspect", "--format", "{{range .Subnets}}{{.Gateway}}{{end}}", network)).AssertSuccess().Stdout.Trim();

            // Two clients at once, each on its own flow: each gets its own answers, and is seen from the gateway with its own port.
            using Socket first = Client();
            using Socket second = Client();
            var published = new IPEndPoint(IPAddress.Loopback, port);
            Assert.Equal("one", await AskAsync(first, published, "one"));
            Assert.Equal("two", await AskAsync(second, published, "two"));
            first.SendTo("first again"u8, published);
            second.SendTo("second again"u8, published);
            Assert.Equal("first again", Receive(first));
            Assert.Equal("second again", Receive(second));
            string seenFirst = await AskAsync(first, published, "addr?");
            string seenSecond = await AskAsync(second, published, "addr?");
            Assert.StartsWith(gateway + ":", seenFirst);
            Assert.StartsWith(gateway + ":", seenSecond);
            Assert.NotEqual(seenFirst, seenSecond);

            // The largest datagram IPv4 carries, byte for byte.
            byte[] big = new byte[65507];
            Random.Shared.NextBytes(big);
            first.SendTo(big, published);
            byte[] answer = new byte[70000];
            int length = first.Receive(answer);
            Assert.Equal(big, answer.AsSpan(0, length).ToArray());

            // A range, each port to its own.
            foreach (int offset in new[] { 0, 1 })
            {
                Assert.Equal($"range {offset}", await AskAsync(first, new IPEndPoint(IPAddress.Loopback, range + offset), $"range {offset}"));
            }

            // On the port published on every address, answers leave from the address the client sent to: a
            // connected client takes no other (the route would answer 127.0.0.2 from 127.0.0.1).
            using Socket connected = Client();
            var second127 = new IPEndPoint(IPAddress.Parse("127.0.0.2"), everywhere);
            connected.Connect(second127);
            Assert.Equal("to 127.0.0.2", await AskAsync(connected, second127, "to 127.0.0.2"));

            // A remote client, on the port published on every address: seen with its own address.
            ProcessResult remoteSeen = (await remote.RunAsync(udpecho, "ask", remote.HostAddress, Num(everywhere), "addr?")).AssertSuccess();
            Assert.StartsWith(remote.ClientAddress + ":", remoteSeen.Stdout);

            // -P gave the exposed UDP port that no -p covers (7002) a host port of its own, on every address.
            string[] listed = (await skiff.RunAsync("port", "echo")).AssertSuccess().StdoutLines.ToArray();
            Assert.Contains($"53/udp -> 127.0.0.1:{Num(port)}", listed);
            Assert.Contains($"53/udp -> 0.0.0.0:{Num(everywhere)}", listed);
            Assert.Contains($"7000/udp -> 127.0.0.1:{Num(range)}", listed);
            Assert.Contains($"7001/udp -> 127.0.0.1:{Num(range + 1)}", listed);
            Assert.Equal(5, listed.Length);
            Assert.Contains($"127.0.0.1:{Num(port)}", (await skiff.RunAsync("port", "echo", "53/udp")).AssertSuccess().StdoutLines);
            string exposed = Assert.Single((await skiff.RunAsync("port", "echo", "7002/udp")).AssertSuccess().StdoutLines);
            Assert.StartsWith("0.0.0.0:", exposed);
            int random = int.Parse(exposed["0.0.0.0:".Length..], CultureInfo.InvariantCulture);
            Assert.Equal("exposed", await AskAsync(first, new IPEndPoint(IPAddress.Loopback, random), "exposed"));
            Assert.Contains($"127.0.0.1:{Num(port)}->53/udp", (await skiff.RunAsync("ps", "--format", "{{.Ports}}")).AssertSuccess().Stdout);
            string inspect = (await skiff.RunAsync("inspect", "--format", "{{json .NetworkSettings.Ports}}", "echo")).AssertSuccess().Stdout;
            Assert.Contains($"{{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"{Num(port)}\"}}", inspect);
            Assert.Contains("\"7000/udp\":", inspect);

            // This container's forwarder only: other tests run forwarders of their own.
            string forwarder = $"__port-forward\0/proc/{(await skiff.RunAsync("inspect", "--format", "{{.State.Pid}}", id)).AssertSuccess().Stdout.Trim()}/ns/net\0";
            Assert.NotEmpty(ProcessTable.Mentioning(forwarder));
            (await skiff.RunAsync("rm", "-f", "echo")).AssertSuccess();
            Assert.Empty(ProcessTable.Mentioning(forwarder));
            using var after = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            after.Bind(new IPEndPoint(IPAddress.Loopback, port));
        }
        finally
        {
            await skiff.RunAsync("rm", "-f", "echo");
            await skiff.RunAsync("network", "rm", network);
        }
    }

    private static Socket Client()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 5000 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    /// <summary>Sends <paramref name="text"/> until an answer comes (the server may still be starting); returns the answer.</summary>
    private static async Task<string> AskAsync(Socket client, IPEndPoint to, string text)
    {
        for (int attempt = 0; ; attempt++)
        {
            client.SendTo(Encoding.ASCII.GetBytes(text), to);
            if (client.Poll(TimeSpan.FromMilliseconds(200), SelectMode.SelectRead))
            {
                try
                {
                    return Receive(client);
                }
                catch (SocketException) when (attempt < 50)
                {
                    // An ICMP error for a datagram sent before anything listened.
                }
            }

            Assert.True(attempt < 50, $"no answer to '{text}' from {to}");
            await Task.Delay(100);
        }
    }

    private static string Receive(Socket client)
    {
        byte[] buffer = new byte[70000];
        return Encoding.ASCII.GetString(buffer, 0, client.Receive(buffer));
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>The first of two consecutive free UDP ports.</summary>
    private static int FreeUdpRange()
    {
        while (true)
        {
            int port = FreeUdpPort();
            if (port < 65535)
            {
                try
                {
                    using var next = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                    next.Bind(new IPEndPoint(IPAddress.Any, port + 1));
                    return port;
                }
                catch (SocketException)
                {
                }
            }
        }
    }
}

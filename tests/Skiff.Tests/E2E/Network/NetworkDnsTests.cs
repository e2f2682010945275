using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Network;

/// <summary>
/// The DNS server of user-defined networks (<c>skiff __dns</c>): containers resolve each other's names,
/// aliases and short ids through the gateway, see containers that start later and stop seeing removed ones,
/// other names are forwarded to the network's upstream (a fake one in this test, given with podman's
/// <c>network create --dns</c>), <c>--disable-dns</c> has no server, and no server is left afterwards.
/// </summary>
[Trait("Category", "E2E")]
[Collection(UserNetworkCollection.Name)]
public sealed class NetworkDnsTests(ITestOutputHelper output)
{
    /// <summary>The only record the fake upstream knows.</summary>
    private const string UpstreamName = "upstream.example";
    private const string UpstreamAddress = "192.0.2.53";

    [Theory, RootAndRootless]
    public async Task Containers_resolve_each_other_through_the_networks_dns_server(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string network = "dns" + Guid.NewGuid().ToString("N")[..8];
        (await skiff.RunAsync("network", "create", network)).AssertSuccess();
        Assert.Equal("true\n", (await skiff.RunAsync("network", "inspect", "--format", "{{.DNSEnabled}}", network)).AssertSuccess().Stdout);
        string gateway = (await skiff.RunAsync("network", "inspect", "--format", "{{range .Subnets}}{{.Gateway}}{{end}}", network)).AssertSuccess().Stdout.Trim();
        string server = $"__dns\0{gateway}\0{Path.Combine(skiff.Sandbox.RunRoot, "networks", network)}.dns\0";
        Assert.Empty(ProcessTable.Mentioning(server));

        string web = (await skiff.RunAsync("run", "-d", "--name", "web", "--network", network, "--network-alias", "www", "busybox",
            "sh", "-c", "mkdir /www && echo hello by name > /www/i.txt && exec httpd -f -p 8080 -h /www")).AssertSuccess().Stdout.Trim();
        Assert.Single(ProcessTable.Mentioning(server));
        string address = await AddressAsync(skiff, "web", network);

        string resolv = (await skiff.RunAsync("run", "--rm", "--network", network, "busybox", "cat", "/etc/resolv.conf")).AssertSuccess().Stdout;
        Assert.Contains($"nameserver {gateway}\n", resolv);
        Assert.Contains("search dns.podman", resolv);
        Assert.Single(resolv.Split('\n'), l => l.StartsWith("nameserver ", StringComparison.Ordinal));

        // Name, alias and short id, through the resolv.conf server and through the gateway named explicitly;
        // then the service by name.
        const string lookups = "nslookup web && nslookup www $0 && nslookup $1 && nslookup WEB.dns.podman $0 && wget -qO- http://web:8080/i.txt";
        ProcessResult found = (await skiff.RunAsync("run", "--rm", "--network", network, "busybox", "sh", "-c", lookups, gateway, web[..12])).AssertSuccess();
        Assert.Equal(4, found.StdoutLines.Count(l => l.Contains(address, StringComparison.Ordinal) && l.StartsWith("Address", StringComparison.Ordinal)));
        Assert.EndsWith("hello by name\n", found.Stdout);

        // A container started later is found from one that already ran, and is gone once removed.
        (await skiff.RunAsync("run", "-d", "--name", "late", "--network", network, "busybox", "sleep", "600")).AssertSuccess();
        string lateAddress = await AddressAsync(skiff, "late", network);
        Assert.Contains("Address: " + lateAddress, (await skiff.RunAsync("exec", "web", "nslookup", "late")).AssertSuccess().Stdout);
        (await skiff.RunAsync("rm", "-f", "late")).AssertSuccess();
        ProcessResult gone = await skiff.RunAsync("exec", "web", "nslookup", "late." + "dns.podman");
        Assert.NotEqual(0, gone.ExitCode);
        Assert.DoesNotContain(lateAddress, gone.Stdout);
        Assert.Single(ProcessTable.Mentioning(server));

        (await skiff.RunAsync("rm", "-f", "web")).AssertSuccess();
        Assert.Empty(ProcessTable.Mentioning(server));
        Assert.Equal(network + "\n", (await skiff.RunAsync("network", "rm", network)).AssertSuccess().Stdout);
    }

    [Theory, RootAndRootless]
    public async Task Other_names_are_forwarded_to_the_networks_upstream_and_disable_dns_has_no_server(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");

        // The fake upstream listens on the host's loopback; the server reaches it there as root, and through
        // pasta's gateway mapping (the gateway address is the host's loopback) from the rootless namespace.
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        upstream.Bind(new IPEndPoint(IPAddress.Loopback, 53));
        using var stop = new CancellationTokenSource();
        Task fake = ServeFakeUpstreamAsync(upstream, stop.Token);
        string upstreamAddress = rootless ? HostDefaultGateway() : "127.0.0.1";

        string network = "fwd" + Guid.NewGuid().ToString("N")[..8];
        (await skiff.RunAsync("network", "create", "--dns", upstreamAddress, network)).AssertSuccess();
        Assert.Contains($"\"network_dns_servers\": [\n", (await skiff.RunAsync("network", "inspect", network)).AssertSuccess().Stdout);
        ProcessResult forwarded = (await skiff.RunAsync("run", "--rm", "--network", network, "busybox", "nslookup", UpstreamName)).AssertSuccess();
        Assert.Contains("Address: " + UpstreamAddress, forwarded.Stdout);
        stop.Cancel();
        await fake;

        // Without DNS: no server, and the resolv.conf of a network without one (the host's servers as root, pasta's forwarder rootless).
        string off = "off" + Guid.NewGuid().ToString("N")[..8];
        (await skiff.RunAsync("network", "create", "--disable-dns", off)).AssertSuccess();
        Assert.Contains("\"dns_enabled\": false", (await skiff.RunAsync("network", "inspect", off)).AssertSuccess().Stdout);
        string gateway = (await skiff.RunAsync("network", "inspect", "--format", "{{range .Subnets}}{{.Gateway}}{{end}}", off)).AssertSuccess().Stdout.Trim();
        ProcessResult plain = (await skiff.RunAsync("run", "--rm", "--network", off, "busybox", "sh", "-c", "cat /etc/resolv.conf")).AssertSuccess();
        Assert.DoesNotContain("dns.podman", plain.Stdout);
        Assert.DoesNotContain("nameserver " + gateway + "\n", plain.Stdout);
        if (rootless)
        {
            Assert.Contains("nameserver 169.254.1.1\n", plain.Stdout);
        }

        // This store's servers only: another store (a parallel run) may have a network with the same gateway.
        Assert.Empty(ProcessTable.Mentioning($"__dns\0{gateway}\0{Path.Combine(skiff.Sandbox.RunRoot, "networks", off)}.dns\0"));
        Assert.DoesNotContain(ProcessTable.Mentioning(Path.Combine(skiff.Sandbox.RunRoot, "networks") + "/"), p => ProcessTable.CommandLine(p).Contains("__dns\0", StringComparison.Ordinal));
        (await skiff.RunAsync("network", "rm", network, off)).AssertSuccess();
    }

    private static async Task<string> AddressAsync(SkiffCli skiff, string container, string network)
    {
        string networks = (await skiff.RunAsync("inspect", "--format", "{{json .NetworkSettings.Networks}}", container)).AssertSuccess().Stdout;
        return System.Text.Json.JsonDocument.Parse(networks).RootElement.GetProperty(network).GetProperty("IPAddress").GetString()!;
    }

    /// <summary>Answers every A query with <see cref="UpstreamAddress"/> for <see cref="UpstreamName"/>, NXDOMAIN for other names.</summary>
    private static async Task ServeFakeUpstreamAsync(Socket socket, CancellationToken stop)
    {
        byte[] buffer = new byte[512];
        while (!stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            int n = received.ReceivedBytes;
            if (n < 17)
            {
                continue;
            }

            bool known = System.Text.Encoding.ASCII.GetString(buffer, 12, n - 12).Contains("upstream\u0007example", StringComparison.Ordinal);
            ushort type = (ushort)((buffer[n - 4] << 8) | buffer[n - 3]);
            bool answer = known && type == 1;
            byte[] response = new byte[n + (answer ? 16 : 0)];
            buffer.AsSpan(0, n).CopyTo(response);
            response[2] = (byte)(0x80 | (buffer[2] & 0x01));
            response[3] = (byte)(0x80 | (known ? 0 : 3));
            response[7] = (byte)(answer ? 1 : 0);
            // Only the question goes back (an EDNS record of the query would sit after it: none from busybox).
            response[11] = 0;
            if (answer)
            {
                byte[] record = [0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 53];
                record.CopyTo(response, n);
            }

            await socket.SendToAsync(response, SocketFlags.None, received.RemoteEndPoint, stop);
        }
    }

    /// <summary>The host's default gateway (from /proc/net/route), which pasta maps to the host's loopback in the rootless namespace.</summary>
    private static string HostDefaultGateway()
    {
        foreach (string line in File.ReadAllLines("/proc/net/route").Skip(1))
        {
            string[] f = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (f.Length > 2 && f[1] == "00000000")
            {
                uint gw = uint.Parse(f[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                return new IPAddress(gw).ToString();
            }
        }

        throw new InvalidOperationException("the host has no default route");
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Network;

/// <summary>
/// Bulk data through published ports and a user-defined network arrives intact: downloads and uploads
/// through skiff's splice-based <c>__port-forward</c> (user networks; IPv4 ports of the default
/// pasta network), including the half-close that ends an upload, and a download from the host through a
/// user network's way out, whose veth pair rootless has pasta's large MTU.
/// </summary>
[Trait("Category", "E2E")]
[Collection(UserNetworkCollection.Name)]
public sealed class PublishedPortTransferTests(ITestOutputHelper output)
{
    private const int Size = 8_000_000;

    // Serves an 8 MB file and its checksum on port 80, and receives one upload on port 81 whose checksum
    // becomes /upsum; the checksum files appear whole (renamed into place), the client polls for them.
    private const string Serve = "mkdir /www; head -c 8000000 /dev/urandom > /www/blob; sha256sum /www/blob | cut -d' ' -f1 > /www/s.tmp; mv /www/s.tmp /www/sum; "
        + "{ nc -l -p 81 | sha256sum | cut -d' ' -f1 > /www/u.tmp; mv /www/u.tmp /www/upsum; } & exec httpd -f -p 80 -h /www";

    [Theory, RootAndRootless]
    public async Task Ipv4_ports_of_the_default_network_go_through_the_forwarder_and_arrive_intact(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        int http = FreePort();
        int upload = FreePort();
        int everywhere = FreePort();
        try
        {
            (await skiff.RunAsync("run", "-d", "--name", "bulk", "-p", $"127.0.0.1:{Num(http)}:80", "-p", $"127.0.0.1:{Num(upload)}:81",
                "-p", $"{Num(everywhere)}:80", "busybox", "sh", "-c", Serve)).AssertSuccess();

            // The IPv4 ports are skiff's forwarder's; pasta keeps the IPv6 half of the one on every address.
            List<string> forwarders = ProcessTable.CommandLinesMentioning("__port-forward");
            Assert.Contains(forwarders, c => c.Contains($"127.0.0.1|{Num(http)}|80", StringComparison.Ordinal) && c.Contains($"127.0.0.1|{Num(upload)}|81", StringComparison.Ordinal)
                && c.Contains($" |{Num(everywhere)}|80", StringComparison.Ordinal));
            Assert.Contains(ProcessTable.CommandLinesMentioning($"::/{Num(everywhere)}:80"), c => c.Contains("pasta", StringComparison.Ordinal) || c.Contains("passt", StringComparison.Ordinal));

            await AssertTransfersAsync(http, upload);
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            Assert.Equal(Size, (await client.GetByteArrayAsync($"http://127.0.0.1:{Num(everywhere)}/blob")).Length);

            (await skiff.RunAsync("rm", "-f", "bulk")).AssertSuccess();
            Assert.DoesNotContain(ProcessTable.CommandLinesMentioning("__port-forward"), c => c.Contains($"127.0.0.1|{Num(http)}|80", StringComparison.Ordinal));
        }
        finally
        {
            await skiff.RunAsync("rm", "-f", "bulk");
        }
    }

    [Theory, RootAndRootless]
    public async Task Megabytes_through_published_ports_and_to_the_host_arrive_intact(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string network = "net" + Guid.NewGuid().ToString("N")[..8];
        (await skiff.RunAsync("network", "create", network)).AssertSuccess();
        try
        {
            // Rootless, every packet to the outside passes pasta, whose link has a 65520-byte MTU; as root the kernel's default.
            ProcessResult mtu = (await skiff.RunAsync("run", "--rm", "--network", network, "busybox", "cat", "/sys/class/net/eth0/mtu")).AssertSuccess();
            Assert.Equal(rootless ? "65520\n" : "1500\n", mtu.Stdout);

            int http = FreePort();
            int upload = FreePort();
            (await skiff.RunAsync("run", "-d", "--name", "bulk", "--network", network,
                "-p", $"127.0.0.1:{Num(http)}:80", "-p", $"127.0.0.1:{Num(upload)}:81", "busybox", "sh", "-c", Serve)).AssertSuccess();
            await AssertTransfersAsync(http, upload);

            // To the host through the network's way out (bridge and NAT as root, the rootless namespace's pasta rootless).
            string served = Path.Combine(skiff.Sandbox.Work, "host-bulk");
            Directory.CreateDirectory(served);
            byte[] hostBlob = RandomNumberGenerator.GetBytes(Size);
            File.WriteAllBytes(Path.Combine(served, "blob"), hostBlob);
            int port = FreePort();
            using (HostHttpd.Start(port, served))
            {
                ProcessResult fetched = (await skiff.RunAsync("run", "--rm", "--network", network, "busybox", "sh", "-c",
                    "wget -qO- http://host.containers.internal:$0/blob | sha256sum | cut -d' ' -f1", Num(port))).AssertSuccess();
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(hostBlob)) + "\n", fetched.Stdout);
            }
        }
        finally
        {
            await skiff.RunAsync("rm", "-f", "bulk");
            await skiff.RunAsync("network", "rm", network);
        }
    }

    /// <summary>Downloads the served file and uploads one through the two published ports; both checksums must match.</summary>
    private static async Task AssertTransfersAsync(int http, int upload)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        string expected = (await GetWithRetryAsync(client, http, "/sum")).Trim();
        byte[] blob = await client.GetByteArrayAsync($"http://127.0.0.1:{Num(http)}/blob");
        Assert.Equal(Size, blob.Length);
        Assert.Equal(expected, Convert.ToHexStringLower(SHA256.HashData(blob)));

        // Upload: the forwarder must pass the client's end of stream on, or nc never finishes.
        byte[] sent = RandomNumberGenerator.GetBytes(6_000_000);
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(IPAddress.Loopback, upload);
            int offset = 0;
            while (offset < sent.Length)
            {
                offset += await socket.SendAsync(sent.AsMemory(offset), SocketFlags.None);
            }

            socket.Shutdown(SocketShutdown.Send);
            byte[] rest = new byte[16];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Assert.Equal(0, await socket.ReceiveAsync(rest, SocketFlags.None, timeout.Token));
        }

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(sent)), (await GetWithRetryAsync(client, http, "/upsum")).Trim());
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static async Task<string> GetWithRetryAsync(HttpClient client, int port, string path)
    {
        // The server (and the upload's checksum) may not be there yet.
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await client.GetStringAsync($"http://127.0.0.1:{Num(port)}{path}");
            }
            catch (HttpRequestException) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

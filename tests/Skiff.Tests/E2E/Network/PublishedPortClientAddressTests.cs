using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Network;

/// <summary>
/// A pasta-connected container's port published on every address, reached by a client on another network:
/// the container sees the client's real address (issue 4), the bytes arrive intact through skiff's forwarder,
/// a service bound to the container's loopback stays out of that client's reach, and a client on the host's
/// loopback is shown as 127.0.0.1, as pasta shows it.
/// </summary>
[Trait("Category", "E2E")]
[Collection(UserNetworkCollection.Name)]
public sealed class PublishedPortClientAddressTests(ITestOutputHelper output)
{
    private const int Size = 8_000_000;

    // Port 80: a web server whose CGI script answers with the client's address, and an 8 MB file with its
    // checksum; port 81: a server on the container's loopback only.
    private const string Serve = "mkdir -p /www/cgi-bin; head -c 8000000 /dev/urandom > /www/blob; sha256sum /www/blob | cut -d' ' -f1 > /www/sum; "
        + "printf '#!/bin/sh\\necho Content-type: text/plain\\necho\\necho \"$REMOTE_ADDR\"\\n' > /www/cgi-bin/addr; chmod 755 /www/cgi-bin/addr; "
        + "httpd -p 127.0.0.1:81 -h /www; exec httpd -f -p 80 -h /www";

    [Theory, RootAndRootless]
    public async Task A_client_on_another_network_is_seen_with_its_own_address(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        await using RemoteClientNamespace remote = await RemoteClientNamespace.CreateAsync(output);
        int web = FreePort();
        int local = FreePort();
        try
        {
            (await skiff.RunAsync("run", "-d", "--name", "addr", "-p", $"{Num(web)}:80", "-p", $"{Num(local)}:81", "busybox", "sh", "-c", Serve)).AssertSuccess();

            // Both IPv4 ports are the forwarder's, which shows the container its clients.
            Assert.Contains(ProcessTable.CommandLinesMentioning("__port-forward"),
                c => c.Contains(" client ", StringComparison.Ordinal) && c.Contains($"|{Num(web)}|80", StringComparison.Ordinal));

            string sum = await AssertSeenAndServedAsync(remote, web);

            // The container's loopback-only service: refused from elsewhere, as pasta's tap path refuses it.
            ProcessResult refused = await remote.RunAsync("busybox", "wget", "-q", "-T", "5", "-O", "-", $"http://{remote.HostAddress}:{Num(local)}/sum");
            Assert.NotEqual(0, refused.ExitCode);

            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            Assert.Equal("[::ffff:127.0.0.1]\n", await client.GetStringAsync($"http://127.0.0.1:{Num(web)}/cgi-bin/addr"));
            Assert.Equal(sum, await client.GetStringAsync($"http://127.0.0.1:{Num(local)}/sum"));
        }
        finally
        {
            await skiff.RunAsync("rm", "-f", "addr");
        }

        Assert.DoesNotContain(ProcessTable.CommandLinesMentioning("__port-forward"), c => c.Contains($"|{Num(web)}|80", StringComparison.Ordinal));
    }

    [Theory, RootAndRootless]
    public async Task A_container_on_a_user_network_sees_remote_clients_and_the_gateway_for_local_ones(bool rootless)
    {
        // As podman's kernel bridge shows them as root: NAT keeps a remote client's address, and a client on the
        // host's loopback comes from the network's gateway.
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        await using RemoteClientNamespace remote = await RemoteClientNamespace.CreateAsync(output);
        string network = "net" + Guid.NewGuid().ToString("N")[..8];
        (await skiff.RunAsync("network", "create", network)).AssertSuccess();
        int web = FreePort();
        try
        {
            (await skiff.RunAsync("run", "-d", "--name", "addr", "--network", network, "-p", $"{Num(web)}:80", "busybox", "sh", "-c", Serve)).AssertSuccess();
            string gateway = (await skiff.RunAsync("network", "inspect", "--format", "{{range .Subnets}}{{.Gateway}}{{end}}", network)).AssertSuccess().Stdout.Trim();

            await AssertSeenAndServedAsync(remote, web);

            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            Assert.Equal($"[::ffff:{gateway}]\n", await client.GetStringAsync($"http://127.0.0.1:{Num(web)}/cgi-bin/addr"));
        }
        finally
        {
            await skiff.RunAsync("rm", "-f", "addr");
            await skiff.RunAsync("network", "rm", network);
        }
    }

    /// <summary>The remote client sees its own address in the container and downloads the file intact; returns the file's checksum line.</summary>
    private static async Task<string> AssertSeenAndServedAsync(RemoteClientNamespace remote, int port)
    {
        string url = $"http://{remote.HostAddress}:{Num(port)}";
        ProcessResult seen = await RetryAsync(() => remote.RunAsync("busybox", "wget", "-q", "-O", "-", url + "/cgi-bin/addr"));
        Assert.Equal($"[::ffff:{remote.ClientAddress}]\n", seen.Stdout);
        string sum = (await remote.RunAsync("busybox", "wget", "-O", "-", url + "/sum")).AssertSuccess().Stdout;
        ProcessResult blob = (await remote.RunAsync("sh", "-c", "busybox wget -q -O - \"$0\" | sha256sum | cut -d' ' -f1", url + "/blob")).AssertSuccess();
        Assert.Equal(sum, blob.Stdout);
        return sum;
    }

    private static async Task<ProcessResult> RetryAsync(Func<Task<ProcessResult>> attempt)
    {
        // The server may not be listening yet.
        for (int i = 0; ; i++)
        {
            ProcessResult result = await attempt();
            if (result.ExitCode == 0 || i == 100)
            {
                return result.AssertSuccess();
            }

            await Task.Delay(100);
        }
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

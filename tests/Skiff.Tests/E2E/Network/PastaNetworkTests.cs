using System.Diagnostics;
using System.Globalization;
using Skiff.Rootless.Network;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Network;

/// <summary>pasta for real, run by the unprivileged test user for a namespace that user owns.</summary>
[Trait("Category", "E2E")]
public class PastaNetworkTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Namespace_reaches_host_loopback_when_asked_and_host_reaches_a_published_port()
    {
        Assert.True(TestEnvironment.IsRoot, "this test runs as root and drops to the rootless test user");
        string user = TestEnvironment.RootlessUser().Name;
        string work = Directory.CreateTempSubdirectory("skiff-pasta-").FullName;
        File.SetUnixFileMode(work, (UnixFileMode)Convert.ToInt32("777", 8));
        File.WriteAllText(Path.Combine(work, "from-host.txt"), "hello from the host\n");
        string served = Path.Combine(work, "served");
        Directory.CreateDirectory(served);
        File.WriteAllText(Path.Combine(served, "from-container.txt"), "hello from the namespace\n");
        File.SetUnixFileMode(served, (UnixFileMode)Convert.ToInt32("755", 8));
        string pidFile = Path.Combine(work, "pasta.pid");

        int hostHttpPort = PortSpecParser.AllocateHostPorts([new PortMapping("127.0.0.1", 0, 1, PortProtocol.Tcp)])[0].HostPort;
        int publishedPort = PortSpecParser.AllocateHostPorts([new PortMapping("127.0.0.1", 0, 1, PortProtocol.Tcp)])[0].HostPort;
        using Process hostHttpd = StartHostHttpd(hostHttpPort, work);
        using var ns = new NetworkNamespaceFixture(user);
        var pasta = new PastaNetwork(new AsUserRunner(user));
        var options = new PastaOptions
        {
            PidFile = pidFile,
            MapGatewayToHost = true,
            Ports = [new PortMapping("127.0.0.1", publishedPort, 8080, PortProtocol.Tcp)],
        };
        output.WriteLine("pasta " + string.Join(' ', PastaNetwork.BuildArguments(options, ns.Pid)));
        try
        {
            await pasta.StartAsync(options, ns.Pid);

            string gateway = DefaultGateway();
            (int code, string body, string error) = ns.RunInside("busybox", "wget", "-qO-", $"http://{gateway}:{hostHttpPort}/from-host.txt");
            output.WriteLine(error);
            Assert.Equal(0, code);
            Assert.Equal("hello from the host\n", body);

            ns.StartInside("busybox", "httpd", "-f", "-p", "8080", "-h", served);
            string fetched = await FetchWithRetryAsync($"http://127.0.0.1:{publishedPort}/from-container.txt");
            Assert.Equal("hello from the namespace\n", fetched);
        }
        finally
        {
            PastaNetwork.Stop(pidFile);
            hostHttpd.Kill();
            Directory.Delete(work, recursive: true);
        }

        Assert.False(File.Exists(pidFile), "the pid file of a stopped pasta remains");
    }

    [Fact]
    public async Task Host_loopback_is_out_of_reach_by_default()
    {
        string user = TestEnvironment.RootlessUser().Name;
        string work = Directory.CreateTempSubdirectory("skiff-pasta-").FullName;
        File.SetUnixFileMode(work, (UnixFileMode)Convert.ToInt32("777", 8));
        File.WriteAllText(Path.Combine(work, "secret.txt"), "host only\n");
        string pidFile = Path.Combine(work, "pasta.pid");
        int hostHttpPort = PortSpecParser.AllocateHostPorts([new PortMapping("127.0.0.1", 0, 1, PortProtocol.Tcp)])[0].HostPort;
        using Process hostHttpd = StartHostHttpd(hostHttpPort, work);
        using var ns = new NetworkNamespaceFixture(user);
        try
        {
            await new PastaNetwork(new AsUserRunner(user)).StartAsync(new PastaOptions { PidFile = pidFile }, ns.Pid);
            (int code, string body, _) = ns.RunInside("busybox", "wget", "-T", "3", "-qO-", $"http://{DefaultGateway()}:{hostHttpPort}/secret.txt");
            Assert.NotEqual(0, code);
            Assert.Equal(string.Empty, body);
        }
        finally
        {
            PastaNetwork.Stop(pidFile);
            hostHttpd.Kill();
            Directory.Delete(work, recursive: true);
        }
    }

    private static Process StartHostHttpd(int port, string root)
    {
        var info = new ProcessStartInfo("busybox") { UseShellExecute = false };
        foreach (string a in new[] { "httpd", "-f", "-p", $"127.0.0.1:{port}", "-h", root })
        {
            info.ArgumentList.Add(a);
        }

        return Process.Start(info)!;
    }

    /// <summary>The host's IPv4 default gateway from the kernel's routing table (pasta copies it into the namespace).</summary>
    private static string DefaultGateway()
    {
        foreach (string line in File.ReadLines("/proc/net/route").Skip(1))
        {
            string[] f = line.Split('\t', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length > 2 && f[1] == "00000000")
            {
                uint g = uint.Parse(f[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                return string.Join('.', BitConverter.GetBytes(g));
            }
        }

        Assert.Fail("this machine has no IPv4 default route; pasta needs one");
        return string.Empty;
    }

    private static async Task<string> FetchWithRetryAsync(string url)
    {
        using var client = new HttpClient();
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await client.GetStringAsync(url);
            }
            catch (HttpRequestException) when (attempt < 200)
            {
                // The server inside the namespace may not listen yet.
                await Task.Delay(25);
            }
        }
    }
}

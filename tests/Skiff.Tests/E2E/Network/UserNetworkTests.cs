using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Skiff.Rootless.Network;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Network;

/// <summary>
/// User-defined networks for real: containers reach each other by name and alias, and the host through the
/// network's way out; network ls/inspect/rm; nothing left behind (bridge, veth, nft table; rootless: the
/// rootless network namespace's holder and its pasta) once the last container and the network are gone.
/// </summary>
[Trait("Category", "E2E")]
[Collection(UserNetworkCollection.Name)]
public sealed class UserNetworkTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Containers_on_a_network_reach_each_other_by_name_and_the_host(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string network = "net" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(network + "\n", (await skiff.RunAsync("network", "create", "--label", "purpose=e2e", network)).AssertSuccess().Stdout);

        ProcessResult listed = (await skiff.RunAsync("network", "ls")).AssertSuccess();
        Assert.Equal(["NETWORK", "ID", "NAME", "DRIVER"], listed.StdoutLines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(listed.StdoutLines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [{ Length: 12 }, var name, "bridge"] && name == network);
        Assert.Equal(network + "\n", (await skiff.RunAsync("network", "ls", "-q", "--filter", "label=purpose=e2e")).AssertSuccess().Stdout);
        Assert.Empty((await skiff.RunAsync("network", "ls", "-q", "--filter", "name=nomatch")).AssertSuccess().Stdout);

        string inspect = (await skiff.RunAsync("network", "inspect", network)).AssertSuccess().Stdout;
        Assert.Contains($"\"name\": \"{network}\"", inspect);
        Assert.Contains("\"driver\": \"bridge\"", inspect);
        Assert.Contains("\"dns_enabled\": true", inspect);
        Assert.Contains("\"purpose\": \"e2e\"", inspect);
        string subnet = (await skiff.RunAsync("network", "inspect", "--format", "{{range .Subnets}}{{.Subnet}} {{.Gateway}}{{end}}", network)).AssertSuccess().Stdout.Trim();
        string[] parts = subnet.Split(' ');
        Assert.Matches(@"^\d+\.\d+\.\d+\.0/24$", parts[0]);
        string prefix = parts[0][..parts[0].LastIndexOf('.')] + ".";
        Assert.Equal(prefix + "1", parts[1]);
        string bridge = (await skiff.RunAsync("network", "inspect", "--format", "{{.NetworkInterface}}", network)).AssertSuccess().Stdout.Trim();
        Assert.StartsWith("skiff", bridge);

        string web = (await skiff.RunAsync("run", "-d", "--name", "web", "--network", network, "--network-alias", "www", "busybox",
            "sh", "-c", "mkdir /www && echo hello over the bridge > /www/i.txt && exec httpd -f -p 80 -h /www")).AssertSuccess().Stdout.Trim();
        string networks = (await skiff.RunAsync("inspect", "--format", "{{json .NetworkSettings.Networks}}", "web")).AssertSuccess().Stdout;
        JsonElement entry = JsonDocument.Parse(networks).RootElement.GetProperty(network);
        string address = entry.GetProperty("IPAddress").GetString()!;
        Assert.StartsWith(prefix, address);
        Assert.Equal(prefix + "1", entry.GetProperty("Gateway").GetString());
        Assert.Equal(24, entry.GetProperty("IPPrefixLen").GetInt32());
        Assert.Contains("www", entry.GetProperty("Aliases").EnumerateArray().Select(a => a.GetString()));

        const string fetch = PeerScripts.Fetch;
        foreach (string name in new[] { "web", "www" })
        {
            ProcessResult fetched = (await skiff.RunAsync("run", "--rm", "--network", network, "busybox", "sh", "-c", fetch, name)).AssertSuccess();
            Assert.Equal("hello over the bridge\n", fetched.Stdout);
        }

        // The others are in web's hosts file while they run, and gone once they left.
        ProcessResult hosts = (await skiff.RunAsync("run", "--rm", "--name", "peer", "--network", network, "busybox", "sh", "-c", "sleep 0.2; cat /etc/hosts")).AssertSuccess();
        Assert.Contains(hosts.StdoutLines, l => l.StartsWith(address + "\tweb www ", StringComparison.Ordinal));
        Assert.DoesNotContain("peer", (await skiff.RunAsync("exec", "web", "cat", "/etc/hosts")).AssertSuccess().Stdout);

        // The host is reached through the network's way out (as root the bridge's address is the host's;
        // rootless, pasta maps the gateway address to the host).
        string served = Path.Combine(skiff.Sandbox.Work, "host-www");
        Directory.CreateDirectory(served);
        File.WriteAllText(Path.Combine(served, "f.txt"), "hello from the host\n");
        int port = FreePort();
        using (HostHttpd.Start(port, served))
        {
            ProcessResult fromHost = (await skiff.RunAsync("run", "--rm", "--network", network, "busybox", "sh", "-c", fetch.Replace("/i.txt", "/f.txt", StringComparison.Ordinal),
                $"host.containers.internal:{port.ToString(CultureInfo.InvariantCulture)}")).AssertSuccess();
            Assert.Equal("hello from the host\n", fromHost.Stdout);
        }

        // A published port on a user network reaches the container through skiff's forwarder.
        int published = FreePort();
        (await skiff.RunAsync("run", "-d", "--name", "pub", "--network", network, "-p", $"127.0.0.1:{published.ToString(CultureInfo.InvariantCulture)}:80", "busybox",
            "sh", "-c", "mkdir /www && echo published on the bridge > /www/p.txt && exec httpd -f -p 80 -h /www")).AssertSuccess();
        Assert.Equal("published on the bridge\n", await FetchAsync(published, "/p.txt"));
        Assert.Equal($"80/tcp -> 127.0.0.1:{published.ToString(CultureInfo.InvariantCulture)}\n", (await skiff.RunAsync("port", "pub")).AssertSuccess().Stdout);
        // This container's forwarder only: other tests (and other users of the machine) run forwarders of their own.
        string forwarder = $"__port-forward\0/proc/{(await skiff.RunAsync("inspect", "--format", "{{.State.Pid}}", "pub")).AssertSuccess().Stdout.Trim()}/ns/net\0";
        Assert.NotEmpty(ProcessTable.Mentioning(forwarder));
        (await skiff.RunAsync("rm", "-f", "pub")).AssertSuccess();
        Assert.Empty(ProcessTable.Mentioning(forwarder));

        int? holder = rootless ? HolderPid(skiff) : null;
        if (rootless)
        {
            Assert.NotNull(holder);
            // Its pasta started with the huge-page preload installed with skiff (PastaHugePages).
            string pasta = File.ReadAllText(Path.Combine(skiff.Sandbox.RunRoot, "networks", "rootless-netns-pasta.pid")).Trim();
            Assert.Contains($"LD_PRELOAD={Path.Combine(Path.GetDirectoryName(skiff.Binary)!, PastaHugePages.FileName)}\0", File.ReadAllText($"/proc/{pasta}/environ"), StringComparison.Ordinal);
        }

        (await skiff.RunAsync("network", "rm", network)).AssertError(2, "network is being used");
        (await skiff.RunAsync("rm", "-f", "web")).AssertSuccess();
        Assert.Equal(network + "\n", (await skiff.RunAsync("network", "rm", network)).AssertSuccess().Stdout);
        Assert.Empty((await skiff.RunAsync("network", "ls", "-q")).AssertSuccess().Stdout);

        if (rootless)
        {
            Assert.False(Runs(holder!.Value), "the rootless network namespace's holder still runs");
            Assert.Empty(ProcessTable.Mentioning(skiff.Sandbox.RunRoot));
        }
        else
        {
            Assert.False(Directory.Exists("/sys/class/net/" + bridge), $"bridge {bridge} is left");
            Assert.False(Directory.Exists("/sys/class/net/veth" + web[..10]), "the veth is left");
            using Process nft = Process.Start(new ProcessStartInfo("nft", ["list", "tables"]) { RedirectStandardOutput = true })!;
            string tables = await nft.StandardOutput.ReadToEndAsync();
            await nft.WaitForExitAsync();
            Assert.DoesNotContain("skiff_" + bridge + "\n", tables + "\n");
        }
    }

    [Theory, RootAndRootless]
    public async Task Start_all_and_restart_latest_connect_containers_on_a_network_the_arguments_do_not_name(bool rootless)
    {
        // Rootless, such a container must start in the rootless network namespace's user namespace: by name it
        // always did; picked by --all, --latest or --filter it failed ("the rootless network namespace is not running").
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string network = "net" + Guid.NewGuid().ToString("N")[..8];
        (await skiff.RunAsync("network", "create", network)).AssertSuccess();
        (await skiff.RunAsync("create", "--name", "bridged", "--network", network, "busybox", "sleep", "60")).AssertSuccess();

        (await skiff.RunAsync("start", "--all")).AssertSuccess();
        string networks = (await skiff.RunAsync("inspect", "--format", "{{json .NetworkSettings.Networks}}", "bridged")).AssertSuccess().Stdout;
        string address = JsonDocument.Parse(networks).RootElement.GetProperty(network).GetProperty("IPAddress").GetString()!;
        Assert.Matches(@"^\d+\.\d+\.\d+\.\d+$", address);
        Assert.Contains($"inet {address}/24", (await skiff.RunAsync("exec", "bridged", "ip", "-4", "addr")).AssertSuccess().Stdout);

        (await skiff.RunAsync("restart", "-t", "0", "--latest")).AssertSuccess();
        Assert.Contains("inet ", (await skiff.RunAsync("exec", "bridged", "ip", "-4", "addr", "show", "eth0")).AssertSuccess().Stdout);

        (await skiff.RunAsync("stop", "-t", "0", "bridged")).AssertSuccess();
        (await skiff.RunAsync("start", "--filter", "name=bridged")).AssertSuccess();
        Assert.Contains("inet ", (await skiff.RunAsync("exec", "bridged", "ip", "-4", "addr", "show", "eth0")).AssertSuccess().Stdout);

        (await skiff.RunAsync("rm", "-f", "-t", "0", "bridged")).AssertSuccess();
        (await skiff.RunAsync("network", "rm", network)).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Network_prune_until_a_duration_ago_removes_only_the_older_networks(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        (await skiff.RunAsync("network", "create", "old")).AssertSuccess();
        await Task.Delay(TimeSpan.FromSeconds(4));
        (await skiff.RunAsync("network", "create", "fresh")).AssertSuccess();

        Assert.Contains("old", (await skiff.RunAsync("network", "ls", "--format", "{{.Name}}", "--filter", "until=2s")).AssertSuccess().StdoutLines);
        Assert.DoesNotContain("fresh", (await skiff.RunAsync("network", "ls", "--format", "{{.Name}}", "--filter", "until=2s")).AssertSuccess().StdoutLines);
        // As podman 4.3: one until= only, and a bad value fails before anything is removed.
        (await skiff.RunAsync("network", "prune", "-f", "--filter", "until=2s", "--filter", "until=1s")).AssertError(125, "specify exactly one timestamp for until");
        (await skiff.RunAsync("network", "prune", "-f", "--filter", "until=yesterday")).AssertError(125, "invalid until filter \"yesterday\"");
        Assert.Equal(["old"], (await skiff.RunAsync("network", "prune", "-f", "--filter", "until=2s")).AssertSuccess().StdoutLines);
        Assert.Equal(["fresh"], (await skiff.RunAsync("network", "prune", "-f", "--filter", "until=-1m")).AssertSuccess().StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task Bad_network_input_is_refused_with_one_error_line(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        ProcessResult unknown = await skiff.RunAsync("run", "--rm", "--network", "nosuchnet", "busybox", "true");
        unknown.AssertError(125, "unable to find network with name or ID nosuchnet: network not found");
        Assert.Single(unknown.Stderr.Split('\n'), l => l.StartsWith("Error:", StringComparison.Ordinal));
        (await skiff.RunAsync("network", "inspect", "nosuchnet")).AssertError(125, "network not found");
        (await skiff.RunAsync("network", "rm", "nosuchnet")).AssertError(1, "network not found");

        (await skiff.RunAsync("network", "create", "--subnet", "10.123.7.0/24", "first")).AssertSuccess();
        (await skiff.RunAsync("network", "create", "first")).AssertError(125, "network name first already used");
        (await skiff.RunAsync("network", "create", "--subnet", "10.123.7.128/25", "second")).AssertError(125, "subnet 10.123.7.128/25 is already used");
        (await skiff.RunAsync("network", "create", "--subnet", "10.123.8.0/24", "--gateway", "10.123.9.1", "third")).AssertError(125, "not in subnet");
        (await skiff.RunAsync("network", "create", "--subnet", "banana", "fourth")).AssertError(125, "invalid subnet");
        (await skiff.RunAsync("network", "create", "host")).AssertError(125, "conflicts with a valid network mode");
        (await skiff.RunAsync("run", "--rm", "--network-alias", "x", "busybox", "true")).AssertError(125, "--network-alias can only be used with user-defined networks");
        Assert.Equal("first\n", (await skiff.RunAsync("network", "prune", "-f")).AssertSuccess().Stdout);
    }

    private static int? HolderPid(SkiffCli skiff)
    {
        string state = File.ReadAllText(Path.Combine(skiff.Sandbox.RunRoot, "networks", "rootless-netns.pid"));
        return int.Parse(state.Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>True while the process exists and is not a zombie (this machine's init reaps orphans lazily).</summary>
    private static bool Runs(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<string> FetchAsync(int port, string path)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        // httpd may still be starting after run -d returned.
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await client.GetStringAsync($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}{path}");
            }
            catch (HttpRequestException) when (attempt < 50)
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

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Network;

/// <summary>
/// Dual-stack user networks (<c>network create --ipv6</c>): containers get an IPv6 address beside the IPv4 one,
/// find each other's by name (AAAA from the network's DNS server, a line in the hosts file) and connect over
/// it, reach the host over IPv6; inspect shows the addresses; IPv4-only networks have no IPv6; bad or
/// overlapping subnets are refused.
/// </summary>
[Trait("Category", "E2E")]
[Collection(UserNetworkCollection.Name)]
public sealed class DualStackNetworkTests(ITestOutputHelper output)
{
    /// <summary>Looks up $0's AAAA record, then fetches /i.txt from port 80 at that address (httpd may still be starting).</summary>
    private const string FetchOverIpv6 =
        "a=$(nslookup -type=AAAA $0 | sed -n 's/^Address: *//p' | tail -1); echo $a; " +
        "for i in $(seq 50); do out=$(printf 'GET /i.txt HTTP/1.0\\r\\n\\r\\n' | nc -w 3 $a 80) && [ -n \"$out\" ] && { echo \"$out\" | tail -1; exit 0; }; sleep 0.1; done; exit 1";

    [Theory, RootAndRootless]
    public async Task Containers_on_a_dual_stack_network_reach_each_other_and_the_host_over_ipv6(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string network = "v6" + Guid.NewGuid().ToString("N")[..8];
        (await skiff.RunAsync("network", "create", "--ipv6", network)).AssertSuccess();

        JsonElement record = JsonDocument.Parse((await skiff.RunAsync("network", "inspect", network)).AssertSuccess().Stdout).RootElement[0];
        Assert.True(record.GetProperty("ipv6_enabled").GetBoolean());
        JsonElement[] subnets = record.GetProperty("subnets").EnumerateArray().ToArray();
        Assert.Equal(2, subnets.Length);
        Assert.Matches(@"^10\.89\.\d+\.0/24$", subnets[0].GetProperty("subnet").GetString());
        string subnet6 = subnets[1].GetProperty("subnet").GetString()!;
        Assert.Matches("^fd[0-9a-f]{2}:[0-9a-f:]+::/64$", subnet6);
        string gateway6 = subnets[1].GetProperty("gateway").GetString()!;
        Assert.Equal(subnet6[..subnet6.IndexOf('/')] + "1", gateway6);

        (await skiff.RunAsync("run", "-d", "--name", "web", "--network", network, "busybox", "sh", "-c", PeerScripts.Serve)).AssertSuccess();
        JsonElement entry = JsonDocument.Parse((await skiff.RunAsync("inspect", "--format", "{{json .NetworkSettings.Networks}}", "web")).AssertSuccess().Stdout)
            .RootElement.GetProperty(network);
        string address6 = entry.GetProperty("GlobalIPv6Address").GetString()!;
        Assert.StartsWith(subnet6[..subnet6.IndexOf("::", StringComparison.Ordinal)], address6);
        Assert.Equal(64, entry.GetProperty("GlobalIPv6PrefixLen").GetInt32());
        Assert.Equal(gateway6, entry.GetProperty("IPv6Gateway").GetString());
        string address4 = entry.GetProperty("IPAddress").GetString()!;

        // By name over IPv6: the AAAA answer, then a connection to it; the hosts file has both addresses.
        ProcessResult fetched = (await skiff.RunAsync("run", "--rm", "--network", network, "busybox", "sh", "-c", FetchOverIpv6, "web")).AssertSuccess();
        Assert.Equal([address6, "hello from " + (await skiff.RunAsync("inspect", "--format", "{{.Config.Hostname}}", "web")).AssertSuccess().Stdout.Trim()], fetched.StdoutLines);
        ProcessResult inside = (await skiff.RunAsync("run", "--rm", "--network", network, "busybox", "sh", "-c", "sleep 0.2; cat /etc/hosts; ip -6 route show default")).AssertSuccess();
        Assert.Contains(inside.StdoutLines, l => l.StartsWith(address4 + "\tweb ", StringComparison.Ordinal));
        Assert.Contains(inside.StdoutLines, l => l.StartsWith(address6 + "\tweb ", StringComparison.Ordinal));
        Assert.Contains(inside.StdoutLines, l => l.StartsWith("default via " + gateway6 + " dev eth0", StringComparison.Ordinal));

        // The network's DNS server listens on the IPv6 gateway too, and resolv.conf lists both gateways (as
        // aardvark-dns); the container's own hosts line has its IPv6 address as well.
        ProcessResult overV6 = (await skiff.RunAsync("run", "--rm", "--network", network, "busybox", "sh", "-c", "cat /etc/resolv.conf; nslookup web $0", gateway6)).AssertSuccess();
        Assert.Equal(["nameserver " + subnets[0].GetProperty("gateway").GetString(), "nameserver " + gateway6], overV6.StdoutLines.Where(l => l.StartsWith("nameserver ", StringComparison.Ordinal)));
        Assert.Contains("Server:\t\t" + gateway6, overV6.Stdout, StringComparison.Ordinal);
        Assert.Contains(overV6.StdoutLines, l => l == "Address: " + address4);
        Assert.Contains(overV6.StdoutLines, l => l == "Address: " + address6);
        string ownHosts = (await skiff.RunAsync("exec", "web", "cat", "/etc/hosts")).AssertSuccess().Stdout;
        Assert.Contains(ownHosts.Split('\n'), l => l.StartsWith(address6 + "\t", StringComparison.Ordinal) && l.EndsWith(" web", StringComparison.Ordinal));

        // The host over IPv6: as root the bridge's IPv6 address is the host's; rootless, pasta maps the host's
        // IPv6 gateway in the rootless network namespace to the host's ::1.
        string? target = rootless ? HostDefaultGateway6() : gateway6;
        if (target is not null)
        {
            using var listener = new TcpListener(rootless ? IPAddress.IPv6Loopback : IPAddress.IPv6Any, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            Task served = ServeOnceAsync(listener, "hello over ipv6 from the host\n");
            ProcessResult fromHost = (await skiff.RunAsync("run", "--rm", "--network", network, "busybox", "sh", "-c", "nc -w 5 $0 $1 </dev/null",
                target, port.ToString(CultureInfo.InvariantCulture))).AssertSuccess();
            Assert.Equal("hello over ipv6 from the host\n", fromHost.Stdout);
            await served.WaitAsync(TimeSpan.FromSeconds(15));
        }

        string bridge = record.GetProperty("network_interface").GetString()!;
        if (!rootless)
        {
            Assert.Contains($"ip6 saddr {subnet6} ip6 daddr != {subnet6} masquerade", await NftAsync("list", "table", "ip6", "skiff_" + bridge));
        }

        (await skiff.RunAsync("rm", "-f", "web")).AssertSuccess();
        (await skiff.RunAsync("network", "rm", network)).AssertSuccess();
        if (!rootless)
        {
            Assert.DoesNotContain("skiff_" + bridge + "\n", await NftAsync("list", "tables") + "\n");
        }
    }

    [Theory, RootAndRootless]
    public async Task An_ipv4_only_network_has_no_ipv6_and_bad_ipv6_subnets_are_refused(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string network = "v4" + Guid.NewGuid().ToString("N")[..8];
        (await skiff.RunAsync("network", "create", network)).AssertSuccess();
        Assert.Equal("false 1\n", (await skiff.RunAsync("network", "inspect", "--format", "{{.IPv6Enabled}} {{len .Subnets}}", network)).AssertSuccess().Stdout);
        (await skiff.RunAsync("run", "-d", "--name", "plain", "--network", network, "busybox", "sleep", "600")).AssertSuccess();
        Assert.Equal("/0/\n", (await skiff.RunAsync("inspect", "--format", "{{range .NetworkSettings.Networks}}{{.GlobalIPv6Address}}/{{.GlobalIPv6PrefixLen}}/{{.IPv6Gateway}}{{end}}", "plain")).AssertSuccess().Stdout);
        Assert.Empty((await skiff.RunAsync("exec", "plain", "ip", "-6", "addr", "show", "dev", "eth0", "scope", "global")).AssertSuccess().Stdout);
        (await skiff.RunAsync("rm", "-f", "plain")).AssertSuccess();
        (await skiff.RunAsync("network", "rm", network)).AssertSuccess();

        // A given IPv6 subnet makes the network dual stack with its gateway (podman 4.3 makes an IPv6-only one
        // without --ipv6, which skiff does not have; with --ipv6 it adds an IPv4 subnet as skiff does).
        (await skiff.RunAsync("network", "create", "--subnet", "fd5e:1:2:3::/64", "--gateway", "fd5e:1:2:3::fe", "given")).AssertSuccess();
        string given = (await skiff.RunAsync("network", "inspect", "--format", "{{.IPv6Enabled}}{{range .Subnets}} {{.Subnet}} {{.Gateway}}{{end}}", "given")).AssertSuccess().Stdout;
        Assert.Matches(@"^true 10\.89\.\d+\.0/24 10\.89\.\d+\.1 fd5e:1:2:3::/64 fd5e:1:2:3::fe\n$", given);

        (await skiff.RunAsync("network", "create", "--subnet", "fd5e:1:2::/48", "overlap")).AssertError(125, "subnet fd5e:1:2::/48 is already used");
        (await skiff.RunAsync("network", "create", "--subnet", "fd5e:9::/64", "--subnet", "fd5e:8::/64", "two")).AssertError(125, "more than one IPv6 subnet");
        (await skiff.RunAsync("network", "create", "--subnet", "fd5e:7::/127", "tiny")).AssertError(125, "invalid subnet");
        (await skiff.RunAsync("network", "create", "--subnet", "fd5e:6::/64", "--gateway", "fd5e:5::1", "away")).AssertError(125, "gateway fd5e:5::1 not in subnet");
        (await skiff.RunAsync("network", "create", "--gateway", "fd5e:4::1", "nov6")).AssertError(125, "no IPv6 subnet");
        ProcessResult bad = await skiff.RunAsync("network", "create", "--ipv6", "--subnet", "fd5e:zz::/64", "bad");
        bad.AssertError(125, "invalid subnet");
        Assert.Single(bad.Stderr.Split('\n'), l => l.StartsWith("Error:", StringComparison.Ordinal));
        Assert.Equal("given\n", (await skiff.RunAsync("network", "ls", "-q")).AssertSuccess().Stdout);
        (await skiff.RunAsync("network", "rm", "given")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Ip6_gives_a_static_ipv6_address_and_bad_ones_are_refused_with_nothing_left_behind(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string network = "v6" + Guid.NewGuid().ToString("N")[..8];
        string plain = "v4" + Guid.NewGuid().ToString("N")[..8];
        (await skiff.RunAsync("network", "create", "--ipv6", network)).AssertSuccess();
        (await skiff.RunAsync("network", "create", plain)).AssertSuccess();
        string subnet6 = (await skiff.RunAsync("network", "inspect", "--format", "{{range .Subnets}}{{.Subnet}} {{end}}", network)).AssertSuccess().Stdout.Split(' ')[1];
        string prefix = subnet6[..subnet6.IndexOf('/')];

        (await skiff.RunAsync("run", "-d", "--name", "fixed", "--network", network, "--ip6", prefix + "99", "busybox", "sleep", "600")).AssertSuccess();
        Assert.Equal(prefix + "99\n", (await skiff.RunAsync("inspect", "--format", "{{range .NetworkSettings.Networks}}{{.GlobalIPv6Address}}{{end}}", "fixed")).AssertSuccess().Stdout);
        Assert.Contains($"inet6 {prefix}99/64 scope global", (await skiff.RunAsync("exec", "fixed", "ip", "-6", "addr", "show", "dev", "eth0")).AssertSuccess().Stdout);

        // network connect --ip6 on a stopped container; the address then counts as used.
        (await skiff.RunAsync("create", "--name", "late", "--network", "none", "busybox", "true")).AssertSuccess();
        (await skiff.RunAsync("network", "connect", "--ip6", prefix + "98", network, "late")).AssertSuccess();
        Assert.Equal(prefix + "98\n", (await skiff.RunAsync("inspect", "--format", "{{range .NetworkSettings.Networks}}{{.GlobalIPv6Address}}{{end}}", "late")).AssertSuccess().Stdout);

        (string[] Arguments, string Message)[] refused =
        [
            (["run", "--rm", "--name", "bad", "--network", network, "--ip6", prefix + "99", "busybox", "true"], $"requested ip address {prefix}99 is already allocated to another container on network {network}"),
            (["run", "--rm", "--name", "bad", "--network", network, "--ip6", prefix + "1", "busybox", "true"], "is already allocated"),
            (["create", "--name", "bad", "--network", network, "--ip6", "fd5e:ffff::5", "busybox", "true"], $"requested static ip fd5e:ffff::5 not in any subnet on network {network}"),
            (["create", "--name", "bad", "--network", network, "--ip6", "10.1.2.3", "busybox", "true"], "10.1.2.3 is not an IPv6 address"),
            (["create", "--name", "bad", "--network", plain, "--ip6", prefix + "5", "busybox", "true"], $"requested static ip {prefix}5 not in any subnet on network {plain}"),
            (["create", "--name", "bad", "--network", "none", "--ip6", prefix + "5", "busybox", "true"], "--ip6 can only be used with a user-defined network"),
            (["create", "--name", "bad", "--network", network, "--network", plain, "--ip6", prefix + "5", "busybox", "true"], "--ip6 can only be set for a single network"),
            (["network", "connect", "--ip6", prefix + "98", plain, "fixed"], $"not in any subnet on network {plain}"),
        ];
        foreach ((string[] arguments, string message) in refused)
        {
            ProcessResult bad = await skiff.RunAsync(arguments);
            bad.AssertError(125, message);
            Assert.Single(bad.Stderr.Split('\n'), l => l.StartsWith("Error:", StringComparison.Ordinal));
        }

        // Nothing stored by the refused ones, and the running container is still on its one network.
        Assert.Equal(["fixed", "late"], (await skiff.RunAsync("ps", "-a", "--format", "{{.Names}}")).AssertSuccess().StdoutLines.Order(StringComparer.Ordinal));
        Assert.Equal(network + "\n", (await skiff.RunAsync("inspect", "--format", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}", "fixed")).AssertSuccess().Stdout);

        // A running container connected with --ip6 gets the address on its new interface at once.
        string second = "v6" + Guid.NewGuid().ToString("N")[..8];
        (await skiff.RunAsync("network", "create", "--ipv6", second)).AssertSuccess();
        string subnet6b = (await skiff.RunAsync("network", "inspect", "--format", "{{range .Subnets}}{{.Subnet}} {{end}}", second)).AssertSuccess().Stdout.Split(' ')[1];
        string prefixB = subnet6b[..subnet6b.IndexOf('/')];
        (await skiff.RunAsync("network", "connect", "--ip6", prefixB + "77", second, "fixed")).AssertSuccess();
        Assert.Contains($"inet6 {prefixB}77/64 scope global", (await skiff.RunAsync("exec", "fixed", "ip", "-6", "addr", "show", "dev", "eth1")).AssertSuccess().Stdout);

        (await skiff.RunAsync("rm", "-f", "fixed", "late")).AssertSuccess();
        (await skiff.RunAsync("network", "rm", network, plain, second)).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Ip_range_limits_the_addresses_containers_get_and_bad_ranges_are_refused(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string network = "rg" + Guid.NewGuid().ToString("N")[..8];
        string octet = Random.Shared.Next(2, 250).ToString(CultureInfo.InvariantCulture);
        string subnet = $"10.231.{octet}.0/24";
        string prefix = $"10.231.{octet}.";
        (await skiff.RunAsync("network", "create", "--subnet", subnet, "--ip-range", prefix + "128/25", "--ipv6", "--subnet", $"fd5e:231:{octet}::/64", "--ip-range", $"fd5e:231:{octet}::100/120", network)).AssertSuccess();
        JsonElement subnets = JsonDocument.Parse((await skiff.RunAsync("network", "inspect", network)).AssertSuccess().Stdout).RootElement[0].GetProperty("subnets");
        Assert.Equal(prefix + "129", subnets[0].GetProperty("lease_range").GetProperty("start_ip").GetString());
        Assert.Equal(prefix + "255", subnets[0].GetProperty("lease_range").GetProperty("end_ip").GetString());
        Assert.Equal(
            $"{prefix}129-{prefix}255 fd5e:231:{octet}::101-fd5e:231:{octet}::1ff \n",
            (await skiff.RunAsync("network", "inspect", "--format", "{{range .Subnets}}{{with .LeaseRange}}{{.StartIP}}-{{.EndIP}} {{end}}{{end}}", network)).AssertSuccess().Stdout);

        (await skiff.RunAsync("run", "-d", "--name", "first", "--network", network, "busybox", "sleep", "600")).AssertSuccess();
        (await skiff.RunAsync("create", "--name", "second", "--network", network, "busybox", "true")).AssertSuccess();
        (await skiff.RunAsync("create", "--name", "fixed", "--network", network, "--ip", prefix + "5", "busybox", "true")).AssertSuccess();
        const string Addresses = "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{.GlobalIPv6Address}}{{end}}";
        Assert.Equal($"{prefix}129 fd5e:231:{octet}::101\n", (await skiff.RunAsync("inspect", "--format", Addresses, "first")).AssertSuccess().Stdout);
        Assert.Equal($"{prefix}130 fd5e:231:{octet}::102\n", (await skiff.RunAsync("inspect", "--format", Addresses, "second")).AssertSuccess().Stdout);
        Assert.StartsWith(prefix + "5 ", (await skiff.RunAsync("inspect", "--format", Addresses, "fixed")).AssertSuccess().Stdout);
        Assert.Contains($"inet {prefix}129/24", (await skiff.RunAsync("exec", "first", "ip", "addr", "show", "dev", "eth0")).AssertSuccess().Stdout);

        (string[] Arguments, string Message)[] refused =
        [
            (["network", "create", "--subnet", "10.232.1.0/24", "--ip-range", "10.232.2.0/25", "bad"], "lease range start ip 10.232.2.1 not in subnet 10.232.1.0/24"),
            (["network", "create", "--subnet", "10.232.1.0/24", "--ip-range", "10.232.0.0/16", "bad"], "lease range start ip 10.232.0.1 not in subnet 10.232.1.0/24"),
            (["network", "create", "--ip-range", "10.232.1.0/25", "bad"], "cannot set gateway or range without subnet"),
            (["network", "create", "--ipv6", "--subnet", "10.232.1.0/24", "--ip-range", "fd5e:232::/120", "bad"], "cannot set gateway or range without subnet"),
            (["network", "create", "--subnet", "10.232.1.0/24", "--ip-range", "10.232.1.0/26", "--ip-range", "10.232.1.64/26", "bad"], "more than one IPv4 ip range given"),
            (["network", "create", "--subnet", "10.232.1.0/24", "--ip-range", "10.232.1.0", "bad"], "invalid subnet \"10.232.1.0\""),
        ];
        foreach ((string[] arguments, string message) in refused)
        {
            ProcessResult bad = await skiff.RunAsync(arguments);
            bad.AssertError(125, message);
            Assert.Single(bad.Stderr.Split('\n'), l => l.StartsWith("Error:", StringComparison.Ordinal));
        }

        Assert.Equal([network], (await skiff.RunAsync("network", "ls", "-q")).AssertSuccess().StdoutLines);
        (await skiff.RunAsync("rm", "-f", "first", "second", "fixed")).AssertSuccess();
        (await skiff.RunAsync("network", "rm", network)).AssertSuccess();
    }

    private static async Task ServeOnceAsync(TcpListener listener, string text)
    {
        try
        {
            using Socket client = await listener.AcceptSocketAsync();
            await client.SendAsync(Encoding.ASCII.GetBytes(text));
            client.Shutdown(SocketShutdown.Both);
        }
        finally
        {
            listener.Stop();
        }
    }

    private static async Task<string> NftAsync(params string[] arguments)
    {
        using Process nft = Process.Start(new ProcessStartInfo("nft", arguments) { RedirectStandardOutput = true })!;
        string text = await nft.StandardOutput.ReadToEndAsync();
        await nft.WaitForExitAsync();
        return text;
    }

    /// <summary>The host's IPv6 default gateway (pasta's gateway in the rootless network namespace), or null when it has none.</summary>
    private static string? HostDefaultGateway6()
    {
        foreach (string line in File.Exists("/proc/net/ipv6_route") ? File.ReadAllLines("/proc/net/ipv6_route") : [])
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length > 4 && f[0] == new string('0', 32) && f[1] == "00" && f[4] != new string('0', 32))
            {
                return new IPAddress(Convert.FromHexString(f[4])).ToString();
            }
        }

        return null;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Skiff.Rootless.Network;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Network;

/// <summary>
/// Containers on pasta and slirp4netns for real: the host's loopback reached only when asked, published ports
/// reached from the host, the generated /etc files, helpers gone with the container, failures reported.
/// Published ports are bound to 127.0.0.1.
/// </summary>
[Trait("Category", "E2E")]
public sealed class ContainerNetworkTests(ITestOutputHelper output)
{
    private static readonly string[] Helpers = ["pasta", "slirp4netns"];

    [Theory, RootAndRootless]
    public async Task Container_reaches_a_server_on_the_host_loopback_only_when_asked(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string served = Path.Combine(skiff.Sandbox.Work, "host-www");
        Directory.CreateDirectory(served);
        File.WriteAllText(Path.Combine(served, "f.txt"), "hello from the host\n");
        int port = FreePort();
        using HostServer server = StartHostHttpd(port, served);

        string url = $"http://host.containers.internal:{port.ToString(CultureInfo.InvariantCulture)}/f.txt";
        foreach (string network in new[] { "pasta:--map-gw", "slirp4netns:allow_host_loopback=true" })
        {
            ProcessResult fetched = (await skiff.RunAsync("run", "--rm", "--network", network, "busybox", "wget", "-qO-", url)).AssertSuccess();
            Assert.Equal("hello from the host\n", fetched.Stdout);
        }

        // Without the option the host's loopback is out of reach (nc: connection refused or network unreachable).
        foreach (string network in Helpers)
        {
            string gateway = network == "pasta" ? "host.containers.internal" : "10.0.2.2";
            ProcessResult refused = await skiff.RunAsync("run", "--rm", "--network", network, "busybox", "sh", "-c", $"echo | nc {gateway} {port.ToString(CultureInfo.InvariantCulture)} && echo connected");
            Assert.DoesNotContain("connected", refused.Stdout);
        }
    }

    [Theory, RootAndRootless]
    public async Task Host_fetches_from_a_published_port_and_the_helper_ends_with_the_container(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        foreach (string network in Helpers)
        {
            int port = FreePort();
            string endpoint = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
            string spec = endpoint + ":80";
            string id = (await skiff.RunAsync("run", "-d", "--name", "web", "--network", network, "-p", spec, "busybox",
                "sh", "-c", $"mkdir /www && echo hello from {network} > /www/i.txt && exec httpd -f -p 80 -h /www")).AssertSuccess().Stdout.Trim();
            Assert.NotEmpty(HelperProcesses(id));

            Assert.Equal($"hello from {network}\n", await FetchAsync(port, "/i.txt"));
            Assert.Equal($"80/tcp -> {endpoint}\n", (await skiff.RunAsync("port", "web")).AssertSuccess().Stdout);
            Assert.Equal(endpoint + "\n", (await skiff.RunAsync("port", "web", "80/tcp")).AssertSuccess().Stdout);
            Assert.Equal($"{endpoint}->80/tcp\n", (await skiff.RunAsync("ps", "--format", "{{.Ports}}")).AssertSuccess().Stdout);
            string inspect = (await skiff.RunAsync("inspect", "--format", "{{json .NetworkSettings.Ports}}", "web")).AssertSuccess().Stdout;
            Assert.Contains($"\"80/tcp\":[{{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"{port.ToString(CultureInfo.InvariantCulture)}\"}}]", inspect);

            (await skiff.RunAsync("rm", "-f", "web")).AssertSuccess();
            Assert.Empty(HelperProcesses(id));
        }

        // A container that exits by itself takes its helper along too.
        string quick = (await skiff.RunAsync("run", "-d", "-p", $"127.0.0.1:{FreePort().ToString(CultureInfo.InvariantCulture)}:80", "busybox", "true")).AssertSuccess().Stdout.Trim();
        (await skiff.RunAsync("wait", quick)).AssertSuccess();
        Assert.Empty(HelperProcesses(quick));
    }

    [Theory, RootAndRootless]
    public async Task Helpers_outlive_the_handover_to_skiff_relay_and_end_with_the_container(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        // slirp4netns (kept by its exit pipe) and pasta with skiff's port forwarder for the loopback-bound port.
        foreach (string network in Helpers)
        {
            int port = FreePort();
            string id = (await skiff.RunAsync("run", "-d", "--name", "relayed", "--network", network, "-p", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}:80", "busybox",
                "sh", "-c", $"mkdir /www && echo relayed {network} > /www/i.txt && exec httpd -f -p 80 -h /www")).AssertSuccess().Stdout.Trim();
            string monitor = (await skiff.RunAsync("inspect", "--format", "{{.State.ConmonPid}}", "relayed")).AssertSuccess().Stdout.Trim();
            await Poll.UntilAsync(() => ProgramOf(monitor) == "skiff-relay");

            Assert.Equal($"relayed {network}\n", await FetchAsync(port, "/i.txt"));
            Assert.NotEmpty(HelperProcesses(id, includeForwarder: true));

            (await skiff.RunAsync("stop", "-t", "1", "relayed")).AssertSuccess();
            Assert.Empty(HelperProcesses(id, includeForwarder: true));
            (await skiff.RunAsync("rm", "relayed")).AssertSuccess();
        }
    }

    [Theory, RootAndRootless]
    public async Task None_has_only_loopback_and_the_etc_files_follow_the_flags(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        ProcessResult links = (await skiff.RunAsync("run", "--rm", "--network", "none", "busybox", "cat", "/proc/net/dev")).AssertSuccess();
        Assert.Equal(["lo"], links.StdoutLines.Skip(2).Select(l => l.Split(':')[0].Trim()));

        // The loopback interface is up, as runc and crun leave it: a server on 127.0.0.1 answers inside.
        ProcessResult local = (await skiff.RunAsync("run", "--rm", "--network", "none", "busybox", "sh", "-c",
            "cat /sys/class/net/lo/operstate; httpd -p 127.0.0.1:8080 -h /etc && wget -qO- http://127.0.0.1:8080/hostname >/dev/null && echo served")).AssertSuccess();
        Assert.Equal("unknown\nserved\n", local.Stdout);

        ProcessResult files = (await skiff.RunAsync("run", "--rm", "--hostname", "web1", "--name", "webc", "--dns", "192.0.2.53", "--dns-search", "example.test",
            "--dns-option", "ndots:2", "--add-host", "db:10.1.2.3", "busybox", "sh", "-c", "cat /etc/hosts; echo ---; cat /etc/resolv.conf; echo ---; hostname")).AssertSuccess();
        string[] parts = files.Stdout.Split("---\n");
        Assert.Contains("10.1.2.3\tdb\n", parts[0]);
        Assert.Matches(@"\n[0-9.]+\tweb1 webc\n", parts[0]);
        Assert.Contains("\thost.containers.internal host.docker.internal\n", parts[0]);
        Assert.Equal("search example.test\nnameserver 192.0.2.53\noptions ndots:2\n", parts[1]);
        Assert.Equal("web1\n", parts[2]);

        // The helpers' resolvers by default; none has no host entry.
        Assert.Contains("nameserver 169.254.1.1\n", (await skiff.RunAsync("run", "--rm", "busybox", "cat", "/etc/resolv.conf")).AssertSuccess().Stdout);
        Assert.Contains("nameserver 10.0.2.3\n", (await skiff.RunAsync("run", "--rm", "--network", "slirp4netns", "busybox", "cat", "/etc/resolv.conf")).AssertSuccess().Stdout);
        Assert.DoesNotContain("host.containers.internal", (await skiff.RunAsync("run", "--rm", "--network", "none", "busybox", "cat", "/etc/hosts")).AssertSuccess().Stdout);
    }

    [Theory, RootAndRootless]
    public async Task A_helper_that_cannot_publish_is_reported_and_leaves_nothing_behind(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        using var busy = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        busy.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        busy.Listen();
        string port = ((System.Net.IPEndPoint)busy.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);
        // The same port for UDP: pasta's own (its loopback-bound TCP ports are skiff's forwarder's, below).
        using var busyUdp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        busyUdp.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, int.Parse(port, CultureInfo.InvariantCulture)));
        foreach (string network in Helpers)
        {
            string publish = network == "pasta" ? $"127.0.0.1:{port}:80/udp" : $"127.0.0.1:{port}:80";
            ProcessResult failed = (await skiff.RunAsync("run", "--rm", "--network", network, "-p", publish, "busybox", "true"))
                .AssertError(125, $"{network} could not");
            Assert.Contains("Hint:", failed.Stderr);
        }

        ProcessResult forwarder = (await skiff.RunAsync("run", "--rm", "--network", "pasta", "-p", $"127.0.0.1:{port}:80", "busybox", "true"))
            .AssertError(125, "cannot publish the container's ports");
        Assert.Contains("Hint:", forwarder.Stderr);

        // A port another program holds on 0.0.0.0 only: pasta would publish it on [::] alone, so IPv4 clients
        // would reach that program; refused as podman and docker refuse it.
        using var busyAny = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        busyAny.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Any, 0));
        busyAny.Listen();
        string anyPort = ((System.Net.IPEndPoint)busyAny.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);
        ProcessResult taken = (await skiff.RunAsync("run", "--rm", "-p", $"{anyPort}:80", "busybox", "true"))
            .AssertError(125, $"0.0.0.0:{anyPort}: address already in use");
        Assert.Contains("Hint:", taken.Stderr);

        // Rootless, a port below net.ipv4.ip_unprivileged_port_start: podman's reason and what to change, not pasta's bind error.
        if (rootless && int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_unprivileged_port_start").Trim(), CultureInfo.InvariantCulture) > 80)
        {
            ProcessResult privileged = (await skiff.RunAsync("run", "--rm", "-p", "80:80", "busybox", "true"))
                .AssertError(125, "cannot expose privileged port 80");
            Assert.Contains("Hint: choose a host port of", privileged.Stderr);
            Assert.Contains("net.ipv4.ip_unprivileged_port_start=80", privileged.Stderr);
        }

        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
        (await skiff.RunAsync("run", "--rm", "--network", "bridge", "busybox", "true")).AssertError(125, "unsupported network mode");
        (await skiff.RunAsync("run", "--rm", "--network", "none", "-p", "80", "busybox", "true")).AssertError(125, "cannot publish ports");
    }

    [Theory, RootAndRootless]
    public async Task A_pasta_that_fails_after_configuring_the_namespace_fails_the_start_with_its_message(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string real = NetworkHelpers.Find(HelperDirectories.Parse(null, skiff.Binary).SearchOrder(skiff.Environment["PATH"])).Pasta
            ?? throw new InvalidOperationException("no pasta");
        // A pasta whose foreground part configures the namespace and forks its daemon (the real pasta's), then
        // fails: the container has started by then, so only the start's result can report it.
        string helpers = Path.Combine(skiff.Sandbox.Work, "helpers");
        Directory.CreateDirectory(helpers);
        File.SetUnixFileMode(helpers, (UnixFileMode)Convert.ToInt32("755", 8));
        string wrapper = Path.Combine(helpers, "pasta");
        File.WriteAllText(wrapper, $$"""
            #!/bin/sh
            pidfile=
            previous=
            for a in "$@"; do [ "$previous" = --pid ] && pidfile=$a; previous=$a; done
            {{real}} "$@" || exit
            kill "$(cat "$pidfile")"
            echo "wrapper: failing on purpose after the namespace was configured" >&2
            exit 3
            """);
        File.SetUnixFileMode(wrapper, (UnixFileMode)Convert.ToInt32("755", 8));
        skiff.Environment[HelperDirectories.EnvironmentVariable] = helpers;

        // The monitor's early pasta (the default network, on a tap skiff configured) and a pasta of the container's
        // own. The container still runs when pasta fails (one that ended first is reported as it ended).
        foreach (string[] network in new[] { Array.Empty<string>(), ["--network", "pasta:--map-gw"] })
        {
            ProcessResult failed = (await skiff.RunAsync(["run", "--rm", .. network, "busybox", "sleep", "60"]))
                .AssertError(125, "pasta could not set up the container's network (exit code 3): wrapper: failing on purpose");
            Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
        }

        await Poll.UntilAsync(() => PastaProcessesNaming(skiff.Sandbox.RunRoot).Count == 0);
    }

    [Theory, RootAndRootless]
    public async Task Network_helpers_leave_the_hosts_named_network_namespaces_mounted(bool rootless)
    {
        // slirp4netns's sandbox detached its old root with the mounts it shared with its caller: as root, every
        // `ip netns` namespace of the host (podman's too) was unmounted and gone.
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        await using RemoteClientNamespace named = await RemoteClientNamespace.CreateAsync(output);
        foreach (string network in Helpers)
        {
            (await skiff.RunAsync("run", "--rm", "--network", network, "busybox", "true")).AssertSuccess();
            Assert.Contains(named.ClientAddress, (await named.RunAsync("ip", "-4", "addr", "show", "eth0")).AssertSuccess().Stdout);
        }
    }

    [Theory, RootAndRootless]
    public async Task The_pasta_a_run_starts_with_its_monitor_serves_the_container_and_ends_with_it(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        // A default-network run's monitor starts pasta before the container exists, in a directory of its own.
        string early = Path.Combine(skiff.Sandbox.RunRoot, "containers", ".early-");

        (await skiff.RunAsync("run", "-d", "--name", "early", "busybox", "sleep", "60")).AssertSuccess();
        List<int> pastas = PastaProcessesNaming(early);
        Assert.Single(pastas);
        ProcessResult inside = (await skiff.RunAsync("exec", "early", "sh", "-c", "ip -4 addr show eth0; ip route")).AssertSuccess();
        Assert.Contains("inet ", inside.Stdout);
        Assert.Contains("default via ", inside.Stdout);
        // Its TCP recovers from segments this pasta drops after 5 ms, not the kernel's 200 (kernels that have the sysctl).
        if (File.Exists("/proc/sys/net/ipv4/tcp_rto_min_us"))
        {
            Assert.Equal("5000\n", (await skiff.RunAsync("exec", "early", "cat", "/proc/sys/net/ipv4/tcp_rto_min_us")).AssertSuccess().Stdout);
        }
        // Its directory stays while the container runs (pasta quits when its namespace file there is deleted).
        Assert.Single(Directory.EnumerateFileSystemEntries(Path.Combine(skiff.Sandbox.RunRoot, "containers"), ".early-*"));

        (await skiff.RunAsync("rm", "-f", "early")).AssertSuccess();
        Assert.DoesNotContain(pastas[0], PastaProcessesNaming(early));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(skiff.Sandbox.RunRoot, "containers"), ".early-*"));

        // A run that fails before its container exists stops the pasta its monitor started; a monitor also
        // removes what monitors that died before they knew their container left (pid 2^22 + 1 never runs).
        string abandoned = early + "4194305";
        Directory.CreateDirectory(abandoned);
        File.WriteAllText(Path.Combine(abandoned, "pasta.pid"), "4194305\n");
        if (skiff.Sandbox.User is { } user)
        {
            using Process chown = Process.Start("chown", ["-R", $"{user.Uid.ToString(CultureInfo.InvariantCulture)}:{user.Gid.ToString(CultureInfo.InvariantCulture)}", abandoned])!;
            chown.WaitForExit();
        }

        (await skiff.RunAsync("run", "--rm", "--pull", "never", "no-such-image-here", "true")).AssertError(125, "no-such-image-here");
        await Poll.UntilAsync(() => PastaProcessesNaming(early).Count == 0
            && !Directory.EnumerateFileSystemEntries(Path.Combine(skiff.Sandbox.RunRoot, "containers"), ".early-*").Any());
    }

    [Theory, RootAndRootless]
    public async Task A_containers_pasta_asks_for_huge_pages_for_its_zeroed_tables_unless_turned_off(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string preload = Path.Combine(Path.GetDirectoryName(skiff.Binary)!, PastaHugePages.FileName);
        Assert.True(File.Exists(preload), $"{preload} is installed with skiff (tests/run.sh, install.sh)");
        string containers = Path.Combine(skiff.Sandbox.RunRoot, "containers");

        var advised = new Dictionary<bool, long>();
        foreach (bool on in new[] { true, false })
        {
            skiff.Environment[PastaHugePages.EnvironmentVariable] = on ? "1" : "0";
            string id = (await skiff.RunAsync("run", "-d", "busybox", "sleep", "60")).AssertSuccess().Stdout.Trim();
            int pasta = Assert.Single(PastaProcessesNaming(containers));
            Assert.Equal(on, File.ReadAllText($"/proc/{pasta.ToString(CultureInfo.InvariantCulture)}/environ").Contains($"LD_PRELOAD={preload}\0", StringComparison.Ordinal));
            advised[on] = HugePageAdvisedBytes(pasta);
            Assert.Contains("default via ", (await skiff.RunAsync("exec", id, "ip", "route")).AssertSuccess().Stdout);
            (await skiff.RunAsync("rm", "-f", "-t", "0", id)).AssertSuccess();
        }

        // pasta advises its own packet buffer; the preload its whole zero-initialised data (~200 MB of address
        // space, only partly used). A kernel without THP refuses both.
        Assert.True(advised[true] > advised[false] + (64L << 20) || !Directory.Exists("/sys/kernel/mm/transparent_hugepage"),
            $"huge-page advised bytes with the preload {advised[true]}, without {advised[false]}");
    }

    /// <summary>The size of the mappings of <paramref name="pid"/> that madvise(MADV_HUGEPAGE) marked ("hg" in smaps' VmFlags).</summary>
    private static long HugePageAdvisedBytes(int pid)
    {
        long total = 0;
        long size = 0;
        foreach (string line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/smaps"))
        {
            if (line.StartsWith("Size:", StringComparison.Ordinal))
            {
                size = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
            else if (line.StartsWith("VmFlags:", StringComparison.Ordinal) && line.Split(' ').Contains("hg"))
            {
                total += size;
            }
        }

        return total;
    }

    [Theory, RootAndRootless]
    public async Task A_first_command_that_connects_out_at_once_loses_no_packet_while_pasta_still_starts(bool rootless)
    {
        // The container's process starts once pasta has configured the namespace, before pasta's loop runs: its
        // first packets (ARP, then the SYN) wait in the tap's queue. A lost one would be sent again after 1 s,
        // which the namespace's TCP counters (fresh with each container) show. The server listens on an address
        // of the host that pasta does not copy into the container.
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        await using RemoteClientNamespace other = await RemoteClientNamespace.CreateAsync(output);
        string served = Path.Combine(skiff.Sandbox.Work, "host-www");
        Directory.CreateDirectory(served);
        File.WriteAllText(Path.Combine(served, "f.txt"), "hello from the host\n");
        int port = FreePort();
        using HostHttpd server = HostHttpd.Start(port, served);
        string url = $"http://{other.HostAddress}:{port.ToString(CultureInfo.InvariantCulture)}/f.txt";

        // The default network (the monitor's early pasta) and a pasta of the container's own.
        foreach (string[] network in new[] { Array.Empty<string>(), ["--network", "pasta:--map-gw"] })
        {
            for (int i = 0; i < 15; i++)
            {
                ProcessResult fetched = (await skiff.RunAsync(["run", "--rm", .. network, "busybox", "sh", "-c", $"wget -qO- {url} && grep ^Tcp: /proc/net/snmp"])).AssertSuccess();
                string[] lines = fetched.StdoutLines.ToArray();
                Assert.Equal("hello from the host", lines[0]);
                string[] names = lines[1].Split(' ');
                string[] values = lines[2].Split(' ');
                Assert.Equal("0", values[Array.IndexOf(names, "RetransSegs")]);
            }
        }
    }

    [Theory, RootAndRootless]
    public async Task The_default_network_skiff_configures_is_the_one_pasta_would(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        // The same addresses, MTU and default routes as when pasta configures the namespace itself (--config-net,
        // which any pasta option brings back).
        const string show = "ip -o addr show dev eth0 scope global; ip route show default; ip -6 route show default; cat /sys/class/net/eth0/mtu";
        string ours = (await skiff.RunAsync("run", "--rm", "busybox", "sh", "-c", show)).AssertSuccess().Stdout;
        string pastas = (await skiff.RunAsync("run", "--rm", "--network", "pasta:--quiet", "busybox", "sh", "-c", show)).AssertSuccess().Stdout;
        Assert.Equal(NetworkFacts(pastas), NetworkFacts(ours));
        Assert.Contains("default via ", ours);
        Assert.Contains("65520", ours);
    }

    /// <summary>The addresses, default routes and MTU in the output of the show commands, without per-run details (lifetimes, broadcast, flags).</summary>
    private static List<string> NetworkFacts(string shown) =>
        [.. System.Text.RegularExpressions.Regex.Matches(shown, @"inet6? \S+|default via \S+|^\d+$", System.Text.RegularExpressions.RegexOptions.Multiline).Select(m => m.Value).Order(StringComparer.Ordinal)];

    /// <summary>pasta processes whose command line contains <paramref name="text"/>.</summary>
    private static List<int> PastaProcessesNaming(string text) =>
        ProcessTable.Where(cmdline => cmdline.Contains("pasta\0", StringComparison.Ordinal) && cmdline.Contains(text, StringComparison.Ordinal));

    /// <summary>
    /// pasta and slirp4netns processes (and skiff's port forwarders, if asked) whose command line names this
    /// container (pid file, netns or socket path).
    /// </summary>
    private static List<int> HelperProcesses(string containerId, bool includeForwarder = false) =>
        ProcessTable.Where(cmdline =>
            (cmdline.StartsWith("pasta", StringComparison.Ordinal) || cmdline.Contains("/pasta\0", StringComparison.Ordinal) || cmdline.Contains("slirp4netns\0", StringComparison.Ordinal)
                || (includeForwarder && cmdline.Contains("\0__port-forward\0", StringComparison.Ordinal)))
            && cmdline.Contains(containerId[..16], StringComparison.Ordinal));

    private static int FreePort() => PortSpecParser.AllocateHostPorts([new PortMapping("127.0.0.1", 0, 1, PortProtocol.Tcp)])[0].HostPort;

    private static string ProgramOf(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return string.Empty;
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

    private static HostServer StartHostHttpd(int port, string directory)
    {
        var info = new ProcessStartInfo(TestImages.BusyboxPath) { UseShellExecute = false };
        foreach (string a in new[] { "httpd", "-f", "-p", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "-h", directory })
        {
            info.ArgumentList.Add(a);
        }

        Process process = Process.Start(info)!;
        for (int attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect("127.0.0.1", port);
                return new HostServer(process);
            }
            catch (SocketException)
            {
                Thread.Sleep(20);
            }
        }

        process.Kill();
        throw new InvalidOperationException("busybox httpd did not start on the host");
    }

    private sealed class HostServer(Process process) : IDisposable
    {
        public void Dispose()
        {
            process.Kill();
            process.WaitForExit(5000);
            process.Dispose();
        }
    }
}

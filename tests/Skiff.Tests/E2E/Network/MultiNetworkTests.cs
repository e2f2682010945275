using System.Globalization;
using System.Text.Json;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Network;

/// <summary>
/// Containers on several user-defined networks: one interface per network in the order given, peers on each
/// network reached by name and address; network connect/disconnect of a running container take effect at once
/// (interface, routes, the peers' hosts files), and the container's end still leaves nothing behind.
/// </summary>
[Trait("Category", "E2E")]
[Collection(UserNetworkCollection.Name)]
public sealed class MultiNetworkTests(ITestOutputHelper output)
{
    /// <summary>One fetch, no retries. (This static busybox's wget crashes with -T.)</summary>
    private const string FetchOnce = "exec wget -qO- http://$0/i.txt";

    [Theory, RootAndRootless]
    public async Task A_container_on_two_networks_reaches_a_peer_on_each_by_name_and_address(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string front = "front" + Guid.NewGuid().ToString("N")[..6];
        string back = "back" + Guid.NewGuid().ToString("N")[..6];
        (await skiff.RunAsync("network", "create", front)).AssertSuccess();
        (await skiff.RunAsync("network", "create", "--internal", back)).AssertSuccess();
        (await skiff.RunAsync("run", "-d", "--name", "web", "--hostname", "web", "--network", front, "busybox", "sh", "-c", PeerScripts.Serve)).AssertSuccess();
        (await skiff.RunAsync("run", "-d", "--name", "db", "--hostname", "db", "--network", back, "busybox", "sh", "-c", PeerScripts.Serve)).AssertSuccess();

        // Repeated flags; the alias applies on both networks.
        string app = (await skiff.RunAsync("run", "-d", "--name", "app", "--network", front, "--network", back, "--network-alias", "api", "busybox", "sleep", "300")).AssertSuccess().Stdout.Trim();
        JsonElement networks = Json(await skiff.RunAsync("inspect", "--format", "{{json .NetworkSettings.Networks}}", "app"));
        string onFront = networks.GetProperty(front).GetProperty("IPAddress").GetString()!;
        string onBack = networks.GetProperty(back).GetProperty("IPAddress").GetString()!;
        Assert.Contains("api", networks.GetProperty(back).GetProperty("Aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains(
            (await skiff.RunAsync("ps", "--format", "{{.Names}} {{.Networks}}")).AssertSuccess().StdoutLines,
            l => l == $"app {front},{back}");

        // eth0 on the first network, eth1 on the second, the default route through the first (the second is internal anyway).
        string addresses = (await skiff.RunAsync("exec", "app", "ip", "-o", "-4", "addr", "show")).AssertSuccess().Stdout;
        Assert.Contains(addresses.Split('\n'), l => l.Contains(" eth0 ", StringComparison.Ordinal) && l.Contains(onFront + "/24", StringComparison.Ordinal));
        Assert.Contains(addresses.Split('\n'), l => l.Contains(" eth1 ", StringComparison.Ordinal) && l.Contains(onBack + "/24", StringComparison.Ordinal));
        Assert.StartsWith("default via ", (await skiff.RunAsync("exec", "app", "ip", "route", "show", "default")).AssertSuccess().Stdout);
        Assert.Contains("dev eth0", (await skiff.RunAsync("exec", "app", "ip", "route", "show", "default")).AssertSuccess().Stdout);

        // A peer on each network, by name and by address.
        Assert.Equal("hello from web\n", (await skiff.RunAsync("exec", "app", "sh", "-c", PeerScripts.Fetch, "web")).AssertSuccess().Stdout);
        Assert.Equal("hello from db\n", (await skiff.RunAsync("exec", "app", "sh", "-c", PeerScripts.Fetch, "db")).AssertSuccess().Stdout);
        string dbAddress = Json(await skiff.RunAsync("inspect", "--format", "{{json .NetworkSettings.Networks}}", "db")).GetProperty(back).GetProperty("IPAddress").GetString()!;
        Assert.Equal("hello from db\n", (await skiff.RunAsync("exec", "app", "sh", "-c", PeerScripts.Fetch, dbAddress)).AssertSuccess().Stdout);

        // Each peer finds app by its address on their shared network, and by its alias there; web and db do not see each other.
        Assert.Contains($"{onFront}\tapp api {app[..12]}", (await skiff.RunAsync("exec", "web", "cat", "/etc/hosts")).AssertSuccess().Stdout);
        string dbHosts = (await skiff.RunAsync("exec", "db", "cat", "/etc/hosts")).AssertSuccess().Stdout;
        Assert.Contains($"{onBack}\tapp api {app[..12]}", dbHosts);
        Assert.DoesNotContain("web", dbHosts);

        // Comma-separated, as podman takes it; a mode cannot be mixed with networks, --ip needs a single network.
        ProcessResult comma = (await skiff.RunAsync("run", "--rm", "--network", $"{back},{front}", "busybox", "ip", "-o", "-4", "addr", "show")).AssertSuccess();
        Assert.Contains(comma.StdoutLines, l => l.Contains(" eth1 ", StringComparison.Ordinal));
        (await skiff.RunAsync("run", "--rm", "--network", front, "--network", "none", "busybox", "true"))
            .AssertError(125, "can only set extra network names, selected mode none conflicts with bridge: invalid argument");
        (await skiff.RunAsync("run", "--rm", "--network", "host", "--network", front, "busybox", "true"))
            .AssertError(125, "cannot set multiple networks without bridge network mode, selected mode host: invalid argument");
        (await skiff.RunAsync("run", "--rm", "--network", front, "--network", back, "--ip", "10.1.2.3", "busybox", "true"))
            .AssertError(125, "--ip can only be set for a single network: invalid argument");

        (await skiff.RunAsync("rm", "-f", "-t", "0", "app", "web", "db")).AssertSuccess();
        AssertNoVeth(skiff, app);
        (await skiff.RunAsync("network", "rm", front, back)).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task A_running_container_is_connected_and_disconnected_at_once(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string front = "front" + Guid.NewGuid().ToString("N")[..6];
        string back = "back" + Guid.NewGuid().ToString("N")[..6];
        (await skiff.RunAsync("network", "create", front)).AssertSuccess();
        (await skiff.RunAsync("network", "create", back)).AssertSuccess();
        (await skiff.RunAsync("run", "-d", "--name", "db", "--hostname", "db", "--network", back, "busybox", "sh", "-c", PeerScripts.Serve)).AssertSuccess();
        string app = (await skiff.RunAsync("run", "-d", "--name", "app", "--network", front, "busybox", "sleep", "300")).AssertSuccess().Stdout.Trim();
        // db serves (seen from a container of its own network) before app tries.
        Assert.Equal("hello from db\n", (await skiff.RunAsync("run", "--rm", "--network", back, "busybox", "sh", "-c", PeerScripts.Fetch, "db")).AssertSuccess().Stdout);
        // As root the host routes between bridges (as podman's), so the test is by name: app does not know db yet.
        Assert.NotEqual(0, (await skiff.RunAsync("exec", "app", "sh", "-c", FetchOnce, "db")).ExitCode);

        Assert.Empty((await skiff.RunAsync("network", "connect", "--alias", "cache", back, "app")).AssertSuccess().Stdout);
        // At once: no retries.
        Assert.Equal("hello from db\n", (await skiff.RunAsync("exec", "app", "sh", "-c", FetchOnce, "db")).AssertSuccess().Stdout);
        string onBack = Json(await skiff.RunAsync("inspect", "--format", "{{json .NetworkSettings.Networks}}", "app")).GetProperty(back).GetProperty("IPAddress").GetString()!;
        Assert.Contains(
            (await skiff.RunAsync("exec", "app", "ip", "-o", "-4", "addr", "show")).AssertSuccess().StdoutLines,
            l => l.Contains(" eth1 ", StringComparison.Ordinal) && l.Contains(onBack + "/", StringComparison.Ordinal));
        Assert.Contains($"{onBack}\tapp cache {app[..12]}", (await skiff.RunAsync("exec", "db", "cat", "/etc/hosts")).AssertSuccess().Stdout);
        // Connecting again is a no-op (podman).
        (await skiff.RunAsync("network", "connect", back, "app")).AssertSuccess();

        (await skiff.RunAsync("network", "disconnect", back, "app")).AssertSuccess();
        Assert.NotEqual(0, (await skiff.RunAsync("exec", "app", "sh", "-c", FetchOnce, "db")).ExitCode);
        Assert.DoesNotContain(" eth1 ", (await skiff.RunAsync("exec", "app", "ip", "-o", "addr", "show")).AssertSuccess().Stdout);
        Assert.DoesNotContain("app", (await skiff.RunAsync("exec", "db", "cat", "/etc/hosts")).AssertSuccess().Stdout);
        Assert.DoesNotContain("\tdb ", (await skiff.RunAsync("exec", "app", "cat", "/etc/hosts")).AssertSuccess().Stdout);
        Assert.False(Json(await skiff.RunAsync("inspect", "--format", "{{json .NetworkSettings.Networks}}", "app")).TryGetProperty(back, out _));
        (await skiff.RunAsync("network", "disconnect", back, "app")).AssertError(125, $"container app is not connected to network {back}");

        // Disconnected from its only network, it keeps loopback; connected again it gets the default route back.
        (await skiff.RunAsync("network", "disconnect", front, "app")).AssertSuccess();
        Assert.Empty((await skiff.RunAsync("exec", "app", "ip", "route", "show", "default")).AssertSuccess().Stdout);
        (await skiff.RunAsync("network", "connect", back, "app")).AssertSuccess();
        Assert.Contains("dev eth0", (await skiff.RunAsync("exec", "app", "ip", "route", "show", "default")).AssertSuccess().Stdout);
        Assert.Equal("hello from db\n", (await skiff.RunAsync("exec", "app", "sh", "-c", FetchOnce, "db")).AssertSuccess().Stdout);

        // A running container on another network mode is refused as podman refuses it.
        (await skiff.RunAsync("run", "-d", "--name", "loner", "--network", "none", "busybox", "sleep", "300")).AssertSuccess();
        (await skiff.RunAsync("network", "connect", back, "loner")).AssertError(125, "\"\" is not supported: invalid network mode");

        // The container's end: its monitor tears down what it is connected to now.
        (await skiff.RunAsync("stop", "-t", "0", "app")).AssertSuccess();
        AssertNoVeth(skiff, app);
        Assert.DoesNotContain("app", (await skiff.RunAsync("exec", "db", "cat", "/etc/hosts")).AssertSuccess().Stdout);
        (await skiff.RunAsync("rm", "-f", "-t", "0", "app", "db", "loner")).AssertSuccess();
        (await skiff.RunAsync("network", "rm", front, back)).AssertSuccess();
        if (rootless)
        {
            Assert.False(File.Exists(Path.Combine(skiff.Sandbox.RunRoot, "networks", "rootless-netns.pid")) && HolderRuns(skiff), "the rootless network namespace still runs");
        }
    }

    /// <summary>
    /// --mac-address and podman's per-network options (--network NAME:ip=,mac=,alias=,interface_name=): the
    /// interface inside has the address given, inspect shows it before and while the container runs, a restart
    /// keeps it, network connect --mac-address sets it on a running container, and bad values are refused
    /// before anything is stored.
    /// </summary>
    [Theory, RootAndRootless]
    public async Task Mac_addresses_and_network_options_reach_the_interface_and_inspect(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string front = "front" + Guid.NewGuid().ToString("N")[..6];
        string back = "back" + Guid.NewGuid().ToString("N")[..6];
        (await skiff.RunAsync("network", "create", "--subnet", "10.89.77.0/24", front)).AssertSuccess();
        (await skiff.RunAsync("network", "create", back)).AssertSuccess();

        (await skiff.RunAsync("create", "--name", "fixed", "--mac-address", "92:D0:C6:0A:29:33", "--network", front, "busybox", "sleep", "300")).AssertSuccess();
        Assert.Equal("92:d0:c6:0a:29:33", Json(await skiff.RunAsync("inspect", "--format", "{{json .NetworkSettings.Networks}}", "fixed")).GetProperty(front).GetProperty("MacAddress").GetString());
        (await skiff.RunAsync("start", "fixed")).AssertSuccess();
        Assert.Contains("link/ether 92:d0:c6:0a:29:33 ", (await skiff.RunAsync("exec", "fixed", "ip", "link", "show", "eth0")).AssertSuccess().Stdout);
        (await skiff.RunAsync("restart", "-t", "0", "fixed")).AssertSuccess();
        Assert.Contains("link/ether 92:d0:c6:0a:29:33 ", (await skiff.RunAsync("exec", "fixed", "ip", "link", "show", "eth0")).AssertSuccess().Stdout);

        // The same address again on that network is refused; nothing is stored.
        (await skiff.RunAsync("run", "--rm", "--name", "twin", "--mac-address", "92:d0:c6:0a:29:33", "--network", front, "busybox", "true"))
            .AssertError(125, $"requested MAC address 92:d0:c6:0a:29:33 is already used by another container on network {front}");

        // Per-network options; an address made up for the other network is shown as the interface has it.
        (await skiff.RunAsync(
            "run", "-d", "--name", "opts", "--network", $"{front}:ip=10.89.77.50,mac=92:d0:c6:0a:29:34,alias=api,interface_name=lan0", "--network", back,
            "busybox", "sleep", "300")).AssertSuccess();
        string addresses = (await skiff.RunAsync("exec", "opts", "ip", "-o", "addr", "show")).AssertSuccess().Stdout;
        Assert.Contains(addresses.Split('\n'), l => l.Contains(" lan0 ", StringComparison.Ordinal) && l.Contains("10.89.77.50/24", StringComparison.Ordinal));
        Assert.Contains("link/ether 92:d0:c6:0a:29:34 ", (await skiff.RunAsync("exec", "opts", "ip", "link", "show", "lan0")).AssertSuccess().Stdout);
        JsonElement networks = Json(await skiff.RunAsync("inspect", "--format", "{{json .NetworkSettings.Networks}}", "opts"));
        Assert.Contains("api", networks.GetProperty(front).GetProperty("Aliases").EnumerateArray().Select(a => a.GetString()));
        string made = networks.GetProperty(back).GetProperty("MacAddress").GetString()!;
        Assert.Matches("^[0-9a-f]{2}(:[0-9a-f]{2}){5}$", made);
        Assert.Contains($"link/ether {made} ", (await skiff.RunAsync("exec", "opts", "ip", "link", "show", "eth0")).AssertSuccess().Stdout);
        Assert.Contains("10.89.77.50\topts api", (await skiff.RunAsync("exec", "fixed", "cat", "/etc/hosts")).AssertSuccess().Stdout);

        // network connect --mac-address on a running container.
        (await skiff.RunAsync("network", "connect", "--mac-address", "92:d0:c6:0a:29:35", back, "fixed")).AssertSuccess();
        Assert.Contains("link/ether 92:d0:c6:0a:29:35 ", (await skiff.RunAsync("exec", "fixed", "ip", "link", "show", "eth1")).AssertSuccess().Stdout);

        // podman's refusals, exit 125, nothing stored.
        (await skiff.RunAsync("run", "--rm", "--mac-address", "92:d0:c6:0a:29:36", "--network", "none", "busybox", "true"))
            .AssertError(125, "--mac-address can only be used with a user-defined network");
        (await skiff.RunAsync("run", "--rm", "--mac-address", "92:d0:c6:0a:29:36", "--network", front, "--network", back, "busybox", "true"))
            .AssertError(125, "--mac-address can only be set for a single network: invalid argument");
        (await skiff.RunAsync("run", "--rm", "--mac-address", "93:d0:c6:0a:29:36", "--network", front, "busybox", "true"))
            .AssertError(125, "address 93:d0:c6:0a:29:36: a multicast MAC address cannot be an interface's address");
        (await skiff.RunAsync("run", "--rm", "--network", $"{front}:foo=bar", "busybox", "true"))
            .AssertError(125, $"invalid option for network {front}: unknown bridge network option: foo");
        Assert.Equal(["fixed", "opts"], (await skiff.RunAsync("ps", "-a", "--format", "{{.Names}}")).AssertSuccess().StdoutLines.Order());

        string opts = (await skiff.RunAsync("inspect", "--format", "{{.Id}}", "opts")).AssertSuccess().Stdout.Trim();
        string fixedId = (await skiff.RunAsync("inspect", "--format", "{{.Id}}", "fixed")).AssertSuccess().Stdout.Trim();
        (await skiff.RunAsync("rm", "-f", "-t", "0", "fixed", "opts")).AssertSuccess();
        AssertNoVeth(skiff, opts);
        AssertNoVeth(skiff, fixedId);
        (await skiff.RunAsync("network", "rm", front, back)).AssertSuccess();
    }

    /// <summary>A container stored by the version before several networks (one <c>networkEndpoint</c>) still starts on its network and inspects.</summary>
    [Fact]
    public async Task A_container_stored_with_a_single_endpoint_still_starts_and_inspects()
    {
        using var skiff = new SkiffCli(output, rootless: false);
        await skiff.ImportBusyboxAsync("busybox");
        string network = "old" + Guid.NewGuid().ToString("N")[..6];
        (await skiff.RunAsync("network", "create", network)).AssertSuccess();
        string id = (await skiff.RunAsync("create", "--name", "old", "--network", network, "--network-alias", "legacy", "busybox", "sleep", "300")).AssertSuccess().Stdout.Trim();

        // Rewrite its config.json in the earlier shape.
        string path = Path.Combine(skiff.Sandbox.StorageRoot, "containers", id, "config.json");
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        System.Text.Json.Nodes.JsonNode endpoint = config["networkEndpoints"]!.AsArray()[0]!.DeepClone();
        endpoint.AsObject().Remove("interface");
        config.Remove("networkEndpoints");
        config["networkEndpoint"] = endpoint;
        File.WriteAllText(path, config.ToJsonString());

        string address = Json(await skiff.RunAsync("inspect", "--format", "{{json .NetworkSettings.Networks}}", "old")).GetProperty(network).GetProperty("IPAddress").GetString()!;
        (await skiff.RunAsync("start", "old")).AssertSuccess();
        Assert.Contains(
            (await skiff.RunAsync("exec", "old", "ip", "-o", "-4", "addr", "show")).AssertSuccess().StdoutLines,
            l => l.Contains(" eth0 ", StringComparison.Ordinal) && l.Contains(address + "/", StringComparison.Ordinal));
        ProcessResult peer = (await skiff.RunAsync("run", "--rm", "--network", network, "busybox", "cat", "/etc/hosts")).AssertSuccess();
        Assert.Contains($"{address}\told legacy {id[..12]}", peer.Stdout);
        (await skiff.RunAsync("rm", "-f", "-t", "0", "old")).AssertSuccess();
        AssertNoVeth(skiff, id);
        (await skiff.RunAsync("network", "rm", network)).AssertSuccess();
    }

    /// <summary>
    /// As root the bridges of all stores share the host's namespace: two stores creating networks at the same
    /// time get different bridges and subnets (a machine-wide lock, and the bridge exists from network create on).
    /// </summary>
    [Fact]
    public async Task Two_root_stores_creating_networks_at_once_get_different_bridges_and_subnets()
    {
        using var first = new SkiffCli(output, rootless: false);
        using var second = new SkiffCli(output, rootless: false);
        string name = "shared" + Guid.NewGuid().ToString("N")[..6];
        ProcessResult[] created = await Task.WhenAll(
            Enumerable.Range(0, 3).SelectMany(i => new[] { first, second }.Select(skiff => skiff.RunAsync("network", "create", name + i.ToString(CultureInfo.InvariantCulture)))));
        foreach (ProcessResult result in created)
        {
            result.AssertSuccess();
        }

        var bridges = new List<string>();
        var subnets = new List<string>();
        foreach (SkiffCli skiff in new[] { first, second })
        {
            foreach (string line in (await skiff.RunAsync("network", "inspect", "--format", "{{.NetworkInterface}} {{range .Subnets}}{{.Subnet}}{{end}}", name + "0", name + "1", name + "2")).AssertSuccess().StdoutLines)
            {
                string[] fields = line.Split(' ');
                bridges.Add(fields[0]);
                subnets.Add(fields[1]);
                Assert.True(Directory.Exists("/sys/class/net/" + fields[0]), $"bridge {fields[0]} was not created with its network");
            }
        }

        Assert.Equal(6, bridges.Distinct().Count());
        Assert.Equal(6, subnets.Distinct().Count());

        foreach (SkiffCli skiff in new[] { first, second })
        {
            (await skiff.RunAsync("network", "rm", name + "0", name + "1", name + "2")).AssertSuccess();
        }

        Assert.All(bridges, b => Assert.False(Directory.Exists("/sys/class/net/" + b), $"bridge {b} is left"));
    }

    /// <summary>No host-side veth of the container: in the host's namespace (root) or in the rootless network namespace, while it runs.</summary>
    private static void AssertNoVeth(SkiffCli skiff, string id)
    {
        string links;
        if (skiff.Rootless)
        {
            string state = Path.Combine(skiff.Sandbox.RunRoot, "networks", "rootless-netns.pid");
            if (!File.Exists(state) || !HolderRuns(skiff))
            {
                return;
            }

            // The tests run as root: enter the namespace holding the bridges.
            using var ip = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
                "nsenter", [$"--net=/proc/{File.ReadAllText(state).Split(' ')[0]}/ns/net", "ip", "-o", "link"]) { RedirectStandardOutput = true })!;
            links = ip.StandardOutput.ReadToEnd();
            ip.WaitForExit();
        }
        else
        {
            links = string.Join('\n', Directory.EnumerateDirectories("/sys/class/net").Select(Path.GetFileName));
        }

        // veth + 8 id characters + n + ethN's number, or veth + 7 id characters + i + a hash of a given interface name.
        Assert.DoesNotContain("veth" + id[..7], links, StringComparison.Ordinal);
    }

    private static bool HolderRuns(SkiffCli skiff)
    {
        string state = File.ReadAllText(Path.Combine(skiff.Sandbox.RunRoot, "networks", "rootless-netns.pid"));
        return Directory.Exists("/proc/" + int.Parse(state.Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
    }

    private static JsonElement Json(ProcessResult inspect) => JsonDocument.Parse(inspect.AssertSuccess().Stdout).RootElement;
}

using System.Text.Json;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Network;

/// <summary>
/// <c>network connect|disconnect</c> of containers that are not running: the change shows in inspect at once
/// and takes effect at the next start, where the connected container and the others on the network reach each
/// other by name and alias (running containers: <see cref="MultiNetworkTests"/>).
/// </summary>
[Trait("Category", "E2E")]
[Collection(UserNetworkCollection.Name)]
public sealed class NetworkConnectTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task A_stopped_container_joins_a_network_at_its_next_start(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string network = "net" + Guid.NewGuid().ToString("N")[..8];
        (await skiff.RunAsync("network", "create", network)).AssertSuccess();

        // Created with the default network, connected before its first start.
        (await skiff.RunAsync("create", "--name", "api", "--hostname", "api", "busybox", "sh", "-c", PeerScripts.Serve)).AssertSuccess();
        Assert.Empty((await skiff.RunAsync("network", "connect", "--alias", "backend", network, "api")).AssertSuccess().Stdout);
        // Connecting again is not an error (podman).
        (await skiff.RunAsync("network", "connect", network, "api")).AssertSuccess();
        JsonElement entry = Networks(await skiff.RunAsync("inspect", "--format", "{{json .NetworkSettings.Networks}}", "api")).GetProperty(network);
        Assert.Contains("backend", entry.GetProperty("Aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(network, (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.NetworkMode}}", "api")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("start", "api")).AssertSuccess();

        (await skiff.RunAsync("run", "-d", "--name", "client", "--network", network, "busybox", "sleep", "300")).AssertSuccess();
        foreach (string name in new[] { "api", "backend" })
        {
            Assert.Equal("hello from api\n", (await skiff.RunAsync("exec", "client", "sh", "-c", PeerScripts.Fetch, name)).AssertSuccess().Stdout);
        }

        // Stopped, the client is disconnected and connected again with a static address; the server reaches it by name.
        (await skiff.RunAsync("stop", "-t", "0", "client")).AssertSuccess();
        (await skiff.RunAsync("network", "disconnect", network, "client")).AssertSuccess();
        Assert.Equal("{}", (await skiff.RunAsync("inspect", "--format", "{{json .NetworkSettings.Networks}}", "client")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("network", "disconnect", network, "client")).AssertError(125, $"container client is not connected to network {network}");
        string subnet = (await skiff.RunAsync("network", "inspect", "--format", "{{range .Subnets}}{{.Subnet}}{{end}}", network)).AssertSuccess().Stdout.Trim();
        string address = subnet[..subnet.LastIndexOf('.')] + ".77";
        (await skiff.RunAsync("network", "connect", "--ip", address, network, "client")).AssertSuccess();
        Assert.Equal(address, Networks(await skiff.RunAsync("inspect", "--format", "{{json .NetworkSettings.Networks}}", "client")).GetProperty(network).GetProperty("IPAddress").GetString());
        (await skiff.RunAsync("start", "client")).AssertSuccess();
        ProcessResult resolved = (await skiff.RunAsync("exec", "api", "sh", "-c", "for i in $(seq 50); do grep -w client /etc/hosts && exit 0; sleep 0.1; done; exit 1")).AssertSuccess();
        Assert.Contains(address, resolved.Stdout);

        (await skiff.RunAsync("rm", "-f", "api", "client")).AssertSuccess();
        (await skiff.RunAsync("network", "rm", network)).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Bad_connects_fail_with_one_error_line(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string network = "net" + Guid.NewGuid().ToString("N")[..8];
        (await skiff.RunAsync("network", "create", network)).AssertSuccess();
        (await skiff.RunAsync("create", "--name", "hosted", "--network", "host", "busybox", "true")).AssertSuccess();
        (await skiff.RunAsync("create", "--name", "plain", "busybox", "true")).AssertSuccess();

        (await skiff.RunAsync("network", "connect", network, "nosuch")).AssertError(125, "no container with name or ID \"nosuch\" found");
        (await skiff.RunAsync("network", "connect", "nosuchnet", "plain")).AssertError(125, "unable to find network with name or ID nosuchnet");
        (await skiff.RunAsync("network", "connect", network, "hosted")).AssertError(125, "invalid network mode");
        (await skiff.RunAsync("network", "connect", "--ip", "192.0.2.9", network, "plain")).AssertError(125, "not in any subnet");
        (await skiff.RunAsync("network", "connect", network)).AssertExitCode(125);

        (await skiff.RunAsync("rm", "hosted", "plain")).AssertSuccess();
        (await skiff.RunAsync("network", "rm", network)).AssertSuccess();
    }

    private static JsonElement Networks(ProcessResult inspect) => JsonDocument.Parse(inspect.AssertSuccess().Stdout).RootElement;
}

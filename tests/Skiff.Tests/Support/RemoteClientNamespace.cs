using System.Globalization;
using Xunit.Abstractions;

namespace Skiff.Tests.Support;

/// <summary>
/// A client on another network: a network namespace joined to the host by a veth pair, its own address
/// routed through the host's end. Connections from it reach the host's end address, as from a machine
/// elsewhere. Made and removed as root (the test runner), whoever runs skiff.
/// </summary>
public sealed class RemoteClientNamespace : IAsyncDisposable
{
    private readonly ITestOutputHelper _log;
    private readonly string _hostLink;

    private RemoteClientNamespace(ITestOutputHelper log, string name, string hostLink, string hostAddress, string clientAddress)
    {
        _log = log;
        Name = name;
        _hostLink = hostLink;
        HostAddress = hostAddress;
        ClientAddress = clientAddress;
    }

    public string Name { get; }

    /// <summary>The host's address on the link, which the client connects to.</summary>
    public string HostAddress { get; }

    /// <summary>The client's own address.</summary>
    public string ClientAddress { get; }

    public static async Task<RemoteClientNamespace> CreateAsync(ITestOutputHelper log)
    {
        string id = Guid.NewGuid().ToString("N")[..6];
        // 198.18.0.0/15 is for benchmarks (RFC 2544): a /30 of it that nothing here routes.
        int net = Random.Shared.Next(1, 16383) * 4;
        string Address(int host) => string.Create(CultureInfo.InvariantCulture, $"198.19.{(net + host) / 256}.{(net + host) % 256}");
        var remote = new RemoteClientNamespace(log, "skrc" + id, "skrch" + id, Address(1), Address(2));
        try
        {
            await remote.IpAsync("netns", "add", remote.Name);
            await remote.IpAsync("link", "add", remote._hostLink, "type", "veth", "peer", "name", "eth0", "netns", remote.Name);
            await remote.IpAsync("addr", "add", remote.HostAddress + "/30", "dev", remote._hostLink);
            await remote.IpAsync("link", "set", remote._hostLink, "up");
            await remote.IpAsync("-n", remote.Name, "addr", "add", remote.ClientAddress + "/30", "dev", "eth0");
            await remote.IpAsync("-n", remote.Name, "link", "set", "eth0", "up");
            await remote.IpAsync("-n", remote.Name, "link", "set", "lo", "up");
            await remote.IpAsync("-n", remote.Name, "route", "add", "default", "via", remote.HostAddress);
        }
        catch
        {
            await remote.DisposeAsync();
            throw;
        }

        return remote;
    }

    /// <summary>Runs <paramref name="command"/> in the client's namespace.</summary>
    public Task<ProcessResult> RunAsync(params string[] command) =>
        TestProcess.RunAsync(new ProcessSpec("ip", ["netns", "exec", Name, .. command]) { Timeout = TimeSpan.FromSeconds(60) }, _log);

    public async ValueTask DisposeAsync()
    {
        await TestProcess.RunAsync(new ProcessSpec("ip", ["link", "del", _hostLink]), _log);
        await TestProcess.RunAsync(new ProcessSpec("ip", ["netns", "del", Name]), _log);
    }

    private async Task IpAsync(params string[] arguments) =>
        (await TestProcess.RunAsync(new ProcessSpec("ip", arguments), _log)).AssertSuccess();
}

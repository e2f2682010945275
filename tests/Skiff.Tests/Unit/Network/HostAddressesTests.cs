using System.Diagnostics;
using System.Net;
using Skiff.Rootless.Network;
using Skiff.Rootless.Network.Netlink;

namespace Skiff.Tests.Unit.Network;

/// <summary>The host address and gateway host.containers.internal and the networks' gateways are taken from.</summary>
public sealed class HostAddressesTests
{
    private const byte V4 = RouteRequests.AF_INET;
    private const int Main = 254;
    private const int Local = 255;
    private const int Loop = 1;
    private const int Wan = 4;
    private const int Bridge = 7;

    private static readonly AddressState[] Addresses =
    [
        new(V4, Loop, IPAddress.Parse("127.0.0.1"), 8, 254, 0x80),
        new(V4, Bridge, IPAddress.Parse("10.88.0.1"), 16, 0, 0x80),
        new(V4, Wan, IPAddress.Parse("192.0.2.2"), 24, 0, 0x80),
        new(V4, Wan, IPAddress.Parse("192.0.2.9"), 24, 0, 0x80),
    ];

    private static RouteState Route(string? destination, int prefix, string? gateway, int link, int table = Main, byte type = 1, uint? metric = null) =>
        new(V4, table, type, destination is null ? null : IPAddress.Parse(destination), prefix, gateway is null ? null : IPAddress.Parse(gateway), link, false, metric);

    [Fact]
    public void TheDefaultRoutesLinkGivesTheAddress()
    {
        HostAddresses host = HostAddresses.From(
            [Route("10.88.0.0", 16, null, Bridge), Route("192.0.2.2", 32, null, Wan, Local, type: 2), Route(null, 0, "192.0.2.1", Wan)],
            Addresses);

        Assert.Equal(new HostAddresses("192.0.2.2", "192.0.2.1"), host);
    }

    [Fact]
    public void TheLowestMetricWinsAndOtherTablesDoNotCount()
    {
        HostAddresses host = HostAddresses.From(
            [Route(null, 0, "192.0.2.1", Wan, metric: 600), Route(null, 0, "10.88.0.254", Bridge, metric: 100), Route(null, 0, "192.0.2.7", Wan, table: 100)],
            Addresses);

        Assert.Equal(new HostAddresses("10.88.0.1", "10.88.0.254"), host);
    }

    [Fact]
    public void WithoutADefaultRouteAnyLinkButTheLoopbackGivesTheAddress()
    {
        Assert.Equal(new HostAddresses("10.88.0.1", null), HostAddresses.From([Route("10.88.0.0", 16, null, Bridge)], Addresses));
        Assert.Equal(new HostAddresses(null, null), HostAddresses.From([], [Addresses[0]]));
    }

    [Fact]
    public void DetectAgreesWithIpRoute()
    {
        // `ip -4 route show default` on this machine: "default via GATEWAY dev DEVICE ...".
        using var ip = Process.Start(new ProcessStartInfo("ip", "-4 -o route show table main default") { RedirectStandardOutput = true })!;
        string[] words = ip.StandardOutput.ReadToEnd().Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        ip.WaitForExit();
        int via = Array.IndexOf(words, "via");

        HostAddresses host = HostAddresses.Detect();

        Assert.Equal(via >= 0 ? words[via + 1] : null, host.Gateway);
        if (via >= 0)
        {
            using var addr = Process.Start(new ProcessStartInfo("ip", $"-4 -o addr show dev {words[Array.IndexOf(words, "dev") + 1]}") { RedirectStandardOutput = true })!;
            string listing = addr.StandardOutput.ReadToEnd();
            addr.WaitForExit();
            Assert.NotNull(host.Address);
            Assert.Contains($"inet {host.Address}/", listing, StringComparison.Ordinal);
        }
    }
}

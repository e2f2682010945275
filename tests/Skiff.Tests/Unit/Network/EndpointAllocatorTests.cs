using Skiff.Core.Errors;
using Skiff.Rootless.Network.Bridge;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Network;

/// <summary>Addresses on a network from the stored containers: <c>--ip6</c> given, taken, outside the subnet, or on an IPv4-only network.</summary>
public sealed class EndpointAllocatorTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("skiff-ipam-").FullName;
    private readonly NetworkStore networks;
    private readonly ContainerStore containers;

    public EndpointAllocatorTests()
    {
        networks = new NetworkStore(Path.Combine(directory, "root"), Path.Combine(directory, "run"));
        containers = new ContainerStore(Path.Combine(directory, "root"), Path.Combine(directory, "run"));
        networks.Create(Network("dual", "10.89.2.0/24", "fd12:3456:789a:1::/64"));
        networks.Create(Network("plain", "10.89.3.0/24"));
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_requested_ipv6_address_is_given_and_then_counts_as_used()
    {
        var allocator = new EndpointAllocator(networks, containers);
        NetworkEndpoint first = allocator.Allocate("dual", new EndpointRequest { Address6 = "fd12:3456:789a:1::99" }, "eth0");
        Assert.Equal(("10.89.2.2", "fd12:3456:789a:1::99", 64), (first.IPAddress, first.Ipv6Address, first.Ipv6PrefixLength));
        Store("a", first);

        var taken = Assert.Throws<SkiffException>(() => allocator.Allocate("dual", new EndpointRequest { Address6 = "FD12:3456:789a:1:0::99" }, "eth0"));
        Assert.Equal(ErrorKind.AlreadyExists, taken.Kind);
        Assert.Equal("requested ip address FD12:3456:789a:1:0::99 is already allocated to another container on network dual", taken.Message);
        Assert.Contains("--ip6", taken.Hint);
        Assert.Contains("already allocated", Assert.Throws<SkiffException>(() => allocator.Allocate("dual", new EndpointRequest { Address6 = "fd12:3456:789a:1::1" }, "eth0")).Message);

        // The container being connected again does not collide with itself; the next one gets ::2.
        Assert.Equal("fd12:3456:789a:1::99", allocator.Allocate("dual", new EndpointRequest { Address6 = "fd12:3456:789a:1::99" }, "eth0", except: new string('a', 64)).Ipv6Address);
        Assert.Equal("fd12:3456:789a:1::2", allocator.Allocate("dual", new EndpointRequest(), "eth0").Ipv6Address);
    }

    [Theory]
    [InlineData("dual", "fd12:3456:789a:2::5", "requested static ip fd12:3456:789a:2::5 not in any subnet on network dual")]
    [InlineData("dual", "fd12:3456:789a:1::", "requested static ip fd12:3456:789a:1:: not in any subnet on network dual")]
    [InlineData("dual", "fd12:3456:789a:1:ffff:ffff:ffff:ffff", "not in any subnet")]
    [InlineData("dual", "10.89.2.9", "10.89.2.9 is not an IPv6 address")]
    [InlineData("dual", "nonsense", "nonsense is not an IPv6 address")]
    [InlineData("plain", "fd12:3456:789a:1::5", "requested static ip fd12:3456:789a:1::5 not in any subnet on network plain")]
    public void Bad_ipv6_requests_are_refused(string network, string requested, string message)
    {
        var e = Assert.Throws<SkiffException>(() => new EndpointAllocator(networks, containers).Allocate(network, new EndpointRequest { Address6 = requested }, "eth0"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("10.89.3.0", ErrorKind.InvalidArgument, "requested static ip 10.89.3.0 not in any subnet on network plain")]
    [InlineData("10.89.3.255", ErrorKind.InvalidArgument, "requested static ip 10.89.3.255 not in any subnet on network plain")]
    [InlineData("10.89.4.5", ErrorKind.InvalidArgument, "requested static ip 10.89.4.5 not in any subnet on network plain")]
    [InlineData("fd12::5", ErrorKind.InvalidArgument, "fd12::5 is not an IPv4 address")]
    [InlineData("10.89.3", ErrorKind.InvalidArgument, "10.89.3 is not an IPv4 address")]
    [InlineData("10.89.3.1", ErrorKind.AlreadyExists, "requested ip address 10.89.3.1 is already allocated to another container on network plain")]
    public void Bad_ipv4_requests_are_refused_as_ipv6_ones(string requested, ErrorKind kind, string message)
    {
        var e = Assert.Throws<SkiffException>(() => new EndpointAllocator(networks, containers).Allocate("plain", new EndpointRequest { Address = requested }, "eth0"));
        Assert.Equal((kind, message), (e.Kind, e.Message));
        Assert.Contains(kind == ErrorKind.AlreadyExists ? "leave --ip out" : "10.89.3.", e.Hint);
    }

    [Fact]
    public void A_requested_ipv4_address_is_given_and_then_counts_as_used()
    {
        var allocator = new EndpointAllocator(networks, containers);
        Store("a", allocator.Allocate("plain", new EndpointRequest { Address = "10.89.3.200" }, "eth0"));
        var taken = Assert.Throws<SkiffException>(() => allocator.Allocate("plain", new EndpointRequest { Address = "10.89.3.200" }, "eth0"));
        Assert.Equal(ErrorKind.AlreadyExists, taken.Kind);
        Assert.Contains("--ip ", taken.Hint);
        Assert.Equal("10.89.3.200", allocator.Allocate("plain", new EndpointRequest { Address = "10.89.3.200" }, "eth0", except: new string('a', 64)).IPAddress);
        Assert.Equal("10.89.3.2", allocator.Allocate("plain", new EndpointRequest(), "eth0").IPAddress);
    }

    [Fact]
    public void Addresses_come_from_the_lease_range_of_each_family_and_static_ones_only_need_the_subnet()
    {
        NetworkRecord ranged = Network("ranged", "10.89.4.0/24", "fd12:3456:789a:4::/64") is var n
            ? n with
            {
                Subnets =
                [
                    n.Subnets[0] with { LeaseRange = new NetworkLeaseRange { StartIp = "10.89.4.129", EndIp = "10.89.4.255" } },
                    n.Subnets[1] with { LeaseRange = new NetworkLeaseRange { StartIp = "fd12:3456:789a:4::101", EndIp = "fd12:3456:789a:4::1ff" } },
                ],
            }
            : throw new InvalidOperationException();
        networks.Create(ranged);
        var allocator = new EndpointAllocator(networks, containers);
        NetworkEndpoint first = allocator.Allocate("ranged", new EndpointRequest(), "eth0");
        Assert.Equal(("10.89.4.129", "fd12:3456:789a:4::101"), (first.IPAddress, first.Ipv6Address));
        Store("a", first);
        Assert.Equal(("10.89.4.130", "fd12:3456:789a:4::102"), (allocator.Allocate("ranged", new EndpointRequest(), "eth0").IPAddress, allocator.Allocate("ranged", new EndpointRequest(), "eth0").Ipv6Address));
        Store("b", allocator.Allocate("ranged", new EndpointRequest { Address = "10.89.4.7", Address6 = "fd12:3456:789a:4::7" }, "eth0"));
        Assert.Equal("10.89.4.130", allocator.Allocate("ranged", new EndpointRequest(), "eth0").IPAddress);
    }

    [Fact]
    public void Every_endpoint_gets_a_mac_address_and_a_requested_one_in_use_on_the_network_is_refused()
    {
        var allocator = new EndpointAllocator(networks, containers);
        NetworkEndpoint made = allocator.Allocate("plain", new EndpointRequest(), "eth0");
        Assert.Equal(made.MacAddress, MacAddress.Parse(made.MacAddress!));
        Store("a", allocator.Allocate("plain", new EndpointRequest { MacAddress = "92:d0:c6:0a:29:33" }, "eth0"));
        var taken = Assert.Throws<SkiffException>(() => allocator.Allocate("plain", new EndpointRequest { MacAddress = "92:d0:c6:0a:29:33" }, "eth0"));
        Assert.Equal((ErrorKind.AlreadyExists, "requested MAC address 92:d0:c6:0a:29:33 is already used by another container on network plain"), (taken.Kind, taken.Message));

        // On another network, or for the container being connected again, it is free.
        Assert.Equal("92:d0:c6:0a:29:33", allocator.Allocate("dual", new EndpointRequest { MacAddress = "92:d0:c6:0a:29:33" }, "eth1").MacAddress);
        Assert.Equal("92:d0:c6:0a:29:33", allocator.Allocate("plain", new EndpointRequest { MacAddress = "92:d0:c6:0a:29:33" }, "eth0", except: new string('a', 64)).MacAddress);
        Assert.Equal("net7", allocator.Allocate("plain", new EndpointRequest { InterfaceName = "net7" }, "eth0").InterfaceName);
    }

    [Fact]
    public void A_lease_range_stops_below_the_broadcast_and_a_full_one_is_reported()
    {
        IpSubnet<uint> subnet = IpSubnet<uint>.Parse("10.89.5.0/24");
        Assert.True(IpSubnet<uint>.TryParseAddress("10.89.5.254", out uint last));
        Assert.True(IpSubnet<uint>.TryParseAddress("10.89.5.252", out uint start));
        Assert.Equal("10.89.5.254", IpSubnet<uint>.FormatAddress(AddressAllocator.Next(subnet, subnet.FirstHost, [start, start + 1], (start, last + 1))));
        var full = Assert.Throws<SkiffException>(() => AddressAllocator.Next(subnet, subnet.FirstHost, [start, start + 1, last], (start, last + 1)));
        Assert.Equal("no free address left in 10.89.5.252-10.89.5.255", full.Message);

        IpSubnet<UInt128> subnet6 = IpSubnet<UInt128>.Parse("fd00::/120");
        Assert.Equal("fd00::fe", IpSubnet<UInt128>.FormatAddress(AddressAllocator.Next(subnet6, subnet6.FirstHost, [], (subnet6.Last - 1, subnet6.Last))));
        Assert.Throws<SkiffException>(() => AddressAllocator.Next(subnet6, subnet6.FirstHost, [subnet6.Last - 1], (subnet6.Last - 1, subnet6.Last)));
    }

    private void Store(string letter, NetworkEndpoint endpoint) =>
        containers.Create(new ContainerConfig
        {
            Id = new string(letter[0], 64),
            Name = "c" + letter,
            Created = DateTimeOffset.UnixEpoch,
            Image = "busybox",
            Runtime = "runc",
            NetworkMode = endpoint.Network,
            NetworkEndpoints = [endpoint],
        });

    private static NetworkRecord Network(string name, string subnet, string? subnet6 = null) => new()
    {
        Name = name,
        Id = name.PadRight(64, '0'),
        NetworkInterface = "skiff-" + name,
        Created = DateTimeOffset.UnixEpoch,
        Subnets = subnet6 is null
            ? [new NetworkSubnet { Subnet = subnet, Gateway = subnet.Replace("0/24", "1", StringComparison.Ordinal) }]
            : [new NetworkSubnet { Subnet = subnet, Gateway = subnet.Replace("0/24", "1", StringComparison.Ordinal) }, new NetworkSubnet { Subnet = subnet6, Gateway = subnet6.Replace("/64", "1", StringComparison.Ordinal) }],
        Ipv6Enabled = subnet6 is not null,
    };
}

using Skiff.Core.Errors;
using Skiff.Rootless.Network;
using Skiff.Rootless.Network.Bridge;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Network;

/// <summary>User-defined networks: subnet choice, address allocation, the hosts file peers, the nft scripts and which interface routes by default.</summary>
public class UserNetworkTests
{
    [Fact]
    public void First_network_gets_10_89_0_0_and_later_ones_skip_used_subnets_and_host_routes()
    {
        Assert.Equal("10.89.0.0/24", SubnetAllocator.Next([]).ToString());
        Assert.Equal("10.89.1.0/24", SubnetAllocator.Next([IpSubnet<uint>.Parse("10.89.0.0/24")]).ToString());
        // A host route covering several /24s (a VPN's 10.89.0.0/23) pushes the choice past it.
        Assert.Equal("10.89.2.0/24", SubnetAllocator.Next([IpSubnet<uint>.Parse("10.89.0.0/23")]).ToString());
        // A wider route over the whole pool leaves nothing.
        var e = Assert.Throws<SkiffException>(() => SubnetAllocator.Next([IpSubnet<uint>.Parse("10.0.0.0/8")]));
        Assert.Equal(ErrorKind.Unavailable, e.Kind);
    }

    [Theory]
    [InlineData("10.89.0.0/24", "10.89.0.0/16", true)]
    [InlineData("10.89.0.0/24", "10.89.1.0/24", false)]
    [InlineData("192.168.1.0/24", "192.168.1.128/25", true)]
    [InlineData("10.90.0.0/16", "10.89.255.0/24", false)]
    public void Subnets_overlap_when_one_contains_the_other(string a, string b, bool overlap)
    {
        Assert.Equal(overlap, IpSubnet<uint>.Parse(a).Overlaps(IpSubnet<uint>.Parse(b)));
        Assert.Equal(overlap, IpSubnet<uint>.Parse(b).Overlaps(IpSubnet<uint>.Parse(a)));
    }

    [Theory]
    [InlineData("10.89.0.0")]
    [InlineData("10.89.0.0/33")]
    [InlineData("10.89.0/24")]
    [InlineData("fd00::/64")]
    [InlineData("nonsense")]
    public void Bad_subnets_are_refused(string text)
    {
        var e = Assert.Throws<SkiffException>(() => IpSubnet<uint>.Parse(text));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void Subnet_is_normalized_to_its_network_address()
    {
        Assert.Equal("10.90.3.0/24", IpSubnet<uint>.Parse("10.90.3.77/24").ToString());
    }

    [Fact]
    public void Host_routes_are_read_from_the_kernel_table_without_the_default_route()
    {
        const string table = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
            "eth0\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n" +
            "eth0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n" +
            "skiff1\t0000590A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
        Assert.Equal(["192.168.1.0/24", "10.89.0.0/24"], HostRoutes.Parse(table).Select(r => r.ToString()));
    }

    [Fact]
    public void Addresses_start_after_the_gateway_and_fill_gaps()
    {
        IpSubnet<uint> subnet = IpSubnet<uint>.Parse("10.89.0.0/24");
        uint gateway = subnet.FirstHost;
        Assert.Equal("10.89.0.2", IpSubnet<uint>.FormatAddress(AddressAllocator.Next(subnet, gateway, [])));
        Assert.True(IpSubnet<uint>.TryParseAddress("10.89.0.2", out uint two));
        Assert.True(IpSubnet<uint>.TryParseAddress("10.89.0.4", out uint four));
        Assert.Equal("10.89.0.3", IpSubnet<uint>.FormatAddress(AddressAllocator.Next(subnet, gateway, [two, four])));

        // A gateway elsewhere in the subnet frees .1 and is itself skipped.
        Assert.True(IpSubnet<uint>.TryParseAddress("10.89.0.2", out uint otherGateway));
        Assert.Equal("10.89.0.1", IpSubnet<uint>.FormatAddress(AddressAllocator.Next(subnet, otherGateway, [])));
    }

    [Fact]
    public void A_full_subnet_is_reported()
    {
        IpSubnet<uint> subnet = IpSubnet<uint>.Parse("10.89.0.0/30");
        // .0 network, .1 gateway, .2 the only host, .3 broadcast.
        Assert.True(IpSubnet<uint>.TryParseAddress("10.89.0.2", out uint two));
        var e = Assert.Throws<SkiffException>(() => AddressAllocator.Next(subnet, subnet.FirstHost, [two]));
        Assert.Contains("no free address", e.Message);
    }

    [Fact]
    public void Hosts_file_lists_the_other_containers_below_the_marker_and_keeps_the_rest()
    {
        const string own = "127.0.0.1\tlocalhost\n10.89.0.3\tabc client\n";
        NetworkEndpointEntry[] peers =
        [
            new() { Id = "b0000000000000000000", Name = "web", Aliases = ["www"], Address = "10.89.0.2" },
            new() { Id = "c0000000000000000000", Name = "client", Address = "10.89.0.3" },
        ];
        string rendered = NetworkHostsFile.Render(own, peers, "c0000000000000000000");
        Assert.Equal(own + "# skiff network peers\n10.89.0.2\tweb www b00000000000\n", rendered);

        // Rendering again replaces the section instead of appending one more.
        Assert.Equal(rendered, NetworkHostsFile.Render(rendered, peers, "c0000000000000000000"));
        // When the peer leaves, the section goes.
        Assert.Equal(own, NetworkHostsFile.Render(rendered, [peers[1]], "c0000000000000000000"));
    }

    [Fact]
    public void Hosts_file_is_rewritten_in_place()
    {
        string path = Path.Combine(Path.GetTempPath(), $"skiff-hosts-{Guid.NewGuid():N}");
        File.WriteAllText(path, "127.0.0.1\tlocalhost\n");
        try
        {
            using var keep = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            NetworkHostsFile.Update(path, [new NetworkEndpointEntry { Id = "d0000000000000", Name = "db", Address = "10.89.0.9" }], "self");
            // The handle opened before the update (like a bind mount) sees the new content: same file, not a new one.
            using var reader = new StreamReader(keep);
            Assert.Contains("10.89.0.9\tdb d00000000000", reader.ReadToEnd());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("mynet", NetworkKind.Bridge)]
    [InlineData("my-net.2", NetworkKind.Bridge)]
    [InlineData("pasta", NetworkKind.Pasta)]
    public void Network_names_select_the_bridge_mode(string text, NetworkKind kind)
    {
        NetworkMode mode = NetworkMode.Parse(text);
        Assert.Equal(kind, mode.Kind);
        Assert.Equal(text, mode.ToString());
    }

    [Theory]
    [InlineData("none")]
    [InlineData("bridge")]
    [InlineData("-bad")]
    [InlineData("a/b")]
    public void Reserved_or_malformed_network_names_cannot_be_created(string name)
    {
        Assert.Throws<SkiffException>(() => NetworkNames.Validate(name));
    }

    [Fact]
    public void Bridge_names_nft_script_and_default_route_choice()
    {
        var network = new NetworkRecord
        {
            Name = "mynet",
            Id = new string('a', 64),
            NetworkInterface = "skiff1",
            Created = DateTimeOffset.UnixEpoch,
            Subnets = [new NetworkSubnet { Subnet = "10.89.0.0/24", Gateway = "10.89.0.1" }],
        };
        string nft = BridgeCommands.NftScript(network);
        Assert.StartsWith("add table ip skiff_skiff1\ndelete table ip skiff_skiff1\n", nft, StringComparison.Ordinal);
        Assert.Contains("ip saddr 10.89.0.0/24 ip daddr != 10.89.0.0/24 masquerade", nft);
        Assert.DoesNotContain("masquerade", BridgeCommands.NftScript(network with { Internal = true }));

        var endpoint = new NetworkEndpoint
        {
            Network = "mynet",
            NetworkId = network.Id,
            IPAddress = "10.89.0.2",
            PrefixLength = 24,
            Gateway = "10.89.0.1",
            Bridge = "skiff1",
        };
        string veth = BridgeCommands.VethName("0123456789abcdef");
        Assert.Equal("veth0123456789", veth);
        Assert.True(veth.Length <= 15);
        Assert.True(BridgeCommands.RoutesDefault(endpoint, defaultRoute: true));
        Assert.False(BridgeCommands.RoutesDefault(endpoint with { Internal = true }, defaultRoute: true));

        // A second network: its own interface and host-side veth, and no second default route.
        NetworkEndpoint second = endpoint with { Network = "other", IPAddress = "10.89.1.2", Gateway = "10.89.1.1", Bridge = "skiff2", Interface = "eth1" };
        string secondVeth = BridgeCommands.VethName("0123456789abcdef", "eth1");
        Assert.Equal("veth01234567n1", secondVeth);
        Assert.False(BridgeCommands.RoutesDefault(second, defaultRoute: false));
        Assert.True(BridgeCommands.VethName(new string('f', 64), "eth12").Length <= 15);
        Assert.Same(second, BridgeCommands.DefaultRouteEndpoint([endpoint with { Internal = true }, second]));
    }

    [Theory]
    [InlineData(new[] { "a", "b" }, "a", new[] { "a", "b" })]
    [InlineData(new[] { "a,b" }, "a", new[] { "a", "b" })]
    [InlineData(new[] { "b,a", "c" }, "b", new[] { "b", "a", "c" })]
    [InlineData(new[] { "a", "a" }, "a", new[] { "a" })]
    [InlineData(new[] { "none" }, "none", new string[0])]
    [InlineData(new[] { "slirp4netns:port_handler=slirp4netns,allow_host_loopback=true" }, "slirp4netns:port_handler=slirp4netns,allow_host_loopback=true", new string[0])]
    public void Network_flags_select_one_mode_or_user_networks_in_order(string[] values, string mode, string[] networks)
    {
        NetworkSelection selection = NetworkSelection.Parse(values)!;
        Assert.Equal(mode, selection.Mode);
        Assert.Equal(networks, selection.Networks);
    }

    [Theory]
    [InlineData(new[] { "a", "none" }, "can only set extra network names, selected mode none conflicts with bridge: invalid argument")]
    [InlineData(new[] { "a", "host" }, "can only set extra network names, selected mode host conflicts with bridge: invalid argument")]
    [InlineData(new[] { "a", "slirp4netns:mtu=1500" }, "can only set extra network names, selected mode slirp4netns conflicts with bridge: invalid argument")]
    [InlineData(new[] { "none", "a" }, "cannot set multiple networks without bridge network mode, selected mode none: invalid argument")]
    [InlineData(new[] { "pasta", "a" }, "cannot set multiple networks without bridge network mode, selected mode pasta: invalid argument")]
    public void Mixing_a_network_mode_with_networks_is_refused_with_podmans_message(string[] values, string message)
    {
        var e = Assert.Throws<SkiffException>(() => NetworkSelection.Parse(values));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void No_network_flag_selects_nothing_and_user_networks_are_recognized_for_the_rootless_join()
    {
        Assert.Null(NetworkSelection.Parse([]));
        Assert.Null(NetworkSelection.Parse(null));
        Assert.True(NetworkSelection.NamesUserNetwork(["a,b"]));
        Assert.True(NetworkSelection.NamesUserNetwork(["pasta", "x"]));
        Assert.False(NetworkSelection.NamesUserNetwork(["pasta:-T,8080"]));
        Assert.False(NetworkSelection.NamesUserNetwork(["none"]));
    }

    [Fact]
    public void Peers_are_the_containers_on_any_shared_network_by_their_address_there()
    {
        var web = new NetworkEndpointEntry { Id = "web0000000000000", Name = "web", Address = "10.89.0.2" };
        var client = new NetworkEndpointEntry { Id = "cli0000000000000", Name = "client", Address = "10.89.0.3" };
        var db = new NetworkEndpointEntry { Id = "db00000000000000", Name = "db", Address = "10.89.1.2" };
        var clientOnBack = client with { Address = "10.89.1.3" };
        var other = new NetworkEndpointEntry { Id = "oth0000000000000", Name = "other", Address = "10.89.2.2" };
        var lists = new Dictionary<string, List<NetworkEndpointEntry>>
        {
            ["front"] = [web, client],
            ["back"] = [db, clientOnBack],
            ["elsewhere"] = [other],
        };

        Assert.Equal(["web", "db"], NetworkPeers.Of(lists, client.Id).Select(p => p.Name));
        Assert.Equal(["client"], NetworkPeers.Of(lists, web.Id).Select(p => p.Name));
        Assert.Equal("10.89.1.3", Assert.Single(NetworkPeers.Of(lists, db.Id)).Address);
        Assert.Empty(NetworkPeers.Of(lists, other.Id));

        // A peer on two shared networks is listed with both addresses.
        lists["back"].Add(web with { Address = "10.89.1.4" });
        Assert.Equal(["10.89.0.3", "10.89.1.3"], NetworkPeers.Of(lists, web.Id).Where(p => p.Name == "client").Select(p => p.Address));
        string hosts = NetworkHostsFile.Render("127.0.0.1\tlocalhost\n", NetworkPeers.Of(lists, web.Id), web.Id);
        Assert.Contains("10.89.0.3\tclient cli000000000\n10.89.1.3\tclient cli000000000\n", hosts, StringComparison.Ordinal);
    }

    [Fact]
    public void Interfaces_are_numbered_from_eth0_and_a_freed_name_is_reused()
    {
        var endpoint = new NetworkEndpoint { Network = "a", NetworkId = "1", IPAddress = "10.89.0.2", PrefixLength = 24, Gateway = "10.89.0.1", Bridge = "skiff1" };
        Assert.Equal("eth0", NetworkInterfaceNames.NextFree([]));
        Assert.Equal("eth1", NetworkInterfaceNames.NextFree([endpoint]));
        Assert.Equal("eth0", NetworkInterfaceNames.NextFree([endpoint with { Interface = "eth1" }]));
        Assert.Equal("eth2", NetworkInterfaceNames.NextFree([endpoint with { Interface = "eth0" }, endpoint with { Interface = "eth1" }]));
    }

    [Fact]
    public void Rewriting_a_containers_own_hosts_part_keeps_its_peers()
    {
        string path = Path.Combine(Path.GetTempPath(), $"skiff-hosts-{Guid.NewGuid():N}");
        try
        {
            Assert.Equal("own\n", NetworkHostsFile.WithPeersOf("own\n", path));
            File.WriteAllText(path, "old\n# skiff network peers\n10.89.0.9\tdb d00000000000\n");
            Assert.Equal("new\n# skiff network peers\n10.89.0.9\tdb d00000000000\n", NetworkHostsFile.WithPeersOf("new", path));
            File.WriteAllText(path, "old\n");
            Assert.Equal("new\n", NetworkHostsFile.WithPeersOf("new\n", path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}

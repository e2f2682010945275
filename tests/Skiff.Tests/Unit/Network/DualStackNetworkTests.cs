using System.Buffers.Binary;
using System.Net;
using Skiff.Core.Errors;
using Skiff.Rootless.Network;
using Skiff.Rootless.Network.Bridge;
using Skiff.Rootless.Network.Dns;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Network;

/// <summary>Dual-stack networks (network create --ipv6): the IPv6 subnet and its choice, addresses, nft rules, hosts lines and AAAA answers.</summary>
public class DualStackNetworkTests
{
    private static readonly NetworkRecord DualStack = new()
    {
        Name = "v6net",
        Id = new string('b', 64),
        NetworkInterface = "skiff3",
        Created = DateTimeOffset.UnixEpoch,
        Subnets =
        [
            new NetworkSubnet { Subnet = "10.89.2.0/24", Gateway = "10.89.2.1" },
            new NetworkSubnet { Subnet = "fd12:3456:789a:1::/64", Gateway = "fd12:3456:789a:1::1" },
        ],
        Ipv6Enabled = true,
    };

    [Theory]
    [InlineData("10.89.0.2", true, false)]
    [InlineData("10.89.2", false, false)]
    [InlineData("10", false, false)]
    [InlineData("fd12::2", false, true)]
    [InlineData("FD12:0::2", false, true)]
    [InlineData("::ffff:10.89.0.2", false, false)]
    [InlineData("fe80::1%eth0", false, false)]
    [InlineData("nonsense", false, false)]
    public void Addresses_of_each_family_are_taken_only_in_their_usual_text_form(string text, bool v4, bool v6)
    {
        Assert.Equal(v4, IpSubnet<uint>.TryParseAddress(text, out uint address));
        Assert.Equal(v6, IpSubnet<UInt128>.TryParseAddress(text, out UInt128 address6));
        if (v4)
        {
            Assert.Equal(0x0A590002u, address);
            Assert.Equal(text, IpSubnet<uint>.FormatAddress(address));
        }

        if (v6)
        {
            Assert.Equal(((UInt128)0xfd12 << 112) | 2, address6);
            Assert.Equal("fd12::2", IpSubnet<UInt128>.FormatAddress(address6));
        }
    }

    [Fact]
    public void Masks_and_ends_follow_the_prefix_in_both_widths()
    {
        Assert.Equal(0xFFFFFF00u, IpSubnet<uint>.Parse("10.89.0.0/24").Mask);
        Assert.Equal("10.89.0.255", IpSubnet<uint>.FormatAddress(IpSubnet<uint>.Parse("10.89.0.7/24").Last));
        Assert.Equal(0x80000000u, IpSubnet<uint>.Parse("200.0.0.0/1").Mask);
        Assert.Equal(UInt128.MaxValue << 64, IpSubnet<UInt128>.Parse("fd00::/64").Mask);
        Assert.Equal("fd00::ffff:ffff:ffff:ffff", IpSubnet<UInt128>.FormatAddress(IpSubnet<UInt128>.Parse("fd00::9/64").Last));
        Assert.Equal("10.89.0.0/16", IpSubnet<uint>.Parse("10.89.200.1/16").ToString());
        Assert.False(IpSubnet<uint>.Parse("10.89.0.0/24").Overlaps(IpSubnet<uint>.Parse("11.89.0.0/24")));
    }

    [Theory]
    [InlineData("fd12:3456:789a:1::/64", "fd12:3456:789a:1::/64")]
    [InlineData("FD12:3456:789A:1:ffff::7/64", "fd12:3456:789a:1::/64")]
    [InlineData("fd00::/8", "fd00::/8")]
    public void Ipv6_subnets_are_parsed_and_normalized_to_their_network(string text, string expected) =>
        Assert.Equal(expected, IpSubnet<UInt128>.Parse(text).ToString());

    [Theory]
    [InlineData("fd00::")]
    [InlineData("fd00::/127")]
    [InlineData("fd00::/0")]
    [InlineData("10.89.0.0/24")]
    [InlineData("::ffff:10.0.0.0/120")]
    [InlineData("fd00::g/64")]
    public void Bad_ipv6_subnets_are_refused(string text)
    {
        var e = Assert.Throws<SkiffException>(() => IpSubnet<UInt128>.Parse(text));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("invalid subnet", e.Message);
    }

    [Theory]
    [InlineData("fd12:3456:789a:1::/64", "fd12:3456:789a::/48", true)]
    [InlineData("fd12:3456:789a:1::/64", "fd12:3456:789a:2::/64", false)]
    [InlineData("fd00::/8", "fdff:1::/64", true)]
    [InlineData("fd00::/64", "fd00::100/120", true)]
    public void Ipv6_subnets_overlap_when_one_contains_the_other(string a, string b, bool overlap)
    {
        Assert.Equal(overlap, IpSubnet<UInt128>.Parse(a).Overlaps(IpSubnet<UInt128>.Parse(b)));
        Assert.Equal(overlap, IpSubnet<UInt128>.Parse(b).Overlaps(IpSubnet<UInt128>.Parse(a)));
    }

    [Fact]
    public void A_new_ipv6_subnet_is_a_random_unique_local_64_that_skips_used_ones()
    {
        // The first draw collides with a network in use, the second is taken.
        var draws = new Queue<byte[]>([[0x12, 0x34, 0x56, 0x78, 0x9a, 0x00, 0x01], [0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67]]);
        IpSubnet<UInt128> chosen = Ipv6SubnetAllocator.Next([IpSubnet<UInt128>.Parse("fd12:3456:789a::/48")], bytes => draws.Dequeue().CopyTo(bytes));
        Assert.Equal("fdab:cdef:123:4567::/64", chosen.ToString());
        Assert.Empty(draws);

        IpSubnet<UInt128> random = Ipv6SubnetAllocator.Next([]);
        Assert.Equal(64, random.PrefixLength);
        Assert.True(IpSubnet<UInt128>.Parse("fd00::/8").Overlaps(random));

        // Everything is in use: reported, not looped on forever.
        var e = Assert.Throws<SkiffException>(() => Ipv6SubnetAllocator.Next([IpSubnet<UInt128>.Parse("fd00::/8")]));
        Assert.Contains("could not find a free IPv6 subnet", e.Message);
    }

    [Fact]
    public void Host_ipv6_routes_are_read_from_the_kernel_table_without_the_default_route()
    {
        const string table =
            "fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0\n" +
            "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000003 00000000 00000003     eth0\n" +
            "fd000000000000000000000000000002 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000004 00000000 80200001     eth0\n";
        Assert.Equal(["fd00::/64", "fd00::2/128"], HostRoutes.ParseIpv6(table).Select(r => r.ToString()));
    }

    [Fact]
    public void Ipv6_addresses_start_after_the_gateway_and_fill_gaps()
    {
        IpSubnet<UInt128> subnet = DualStack.Subnet6!.Value;
        UInt128 gateway = DualStack.Gateway6!.Value;
        Assert.Equal("fd12:3456:789a:1::2", IpSubnet<UInt128>.FormatAddress(AddressAllocator.Next(subnet, gateway, [])));
        Assert.True(IpSubnet<UInt128>.TryParseAddress("fd12:3456:789a:1::2", out UInt128 two));
        Assert.True(IpSubnet<UInt128>.TryParseAddress("fd12:3456:789a:1::4", out UInt128 four));
        Assert.Equal("fd12:3456:789a:1::3", IpSubnet<UInt128>.FormatAddress(AddressAllocator.Next(subnet, gateway, [two, four])));

        IpSubnet<UInt128> tiny = IpSubnet<UInt128>.Parse("fd00::/126");
        Assert.True(IpSubnet<UInt128>.TryParseAddress("fd00::2", out UInt128 only));
        Assert.Contains("no free address", Assert.Throws<SkiffException>(() => AddressAllocator.Next(tiny, tiny.FirstHost, [only])).Message);
    }

    [Fact]
    public void The_record_finds_each_family_whatever_the_order_and_a_v4_only_network_has_no_ipv6()
    {
        NetworkRecord reversed = DualStack with { Subnets = [DualStack.Subnets[1], DualStack.Subnets[0]] };
        Assert.Equal("10.89.2.0/24", reversed.Subnet.ToString());
        Assert.Equal("10.89.2.1", IpSubnet<uint>.FormatAddress(reversed.Gateway));
        Assert.Equal("fd12:3456:789a:1::/64", reversed.Subnet6.ToString());
        Assert.Equal("fd12:3456:789a:1::1", IpSubnet<UInt128>.FormatAddress(reversed.Gateway6!.Value));

        NetworkRecord v4Only = DualStack with { Subnets = [DualStack.Subnets[0]], Ipv6Enabled = false };
        Assert.Null(v4Only.Subnet6);
        Assert.Null(v4Only.Gateway6);
    }

    [Fact]
    public void A_network_file_of_an_older_build_loads_both_families_and_is_written_back_unchanged()
    {
        const string file = """
            {
              "name": "old",
              "id": "4f1d000000000000000000000000000000000000000000000000000000000000",
              "driver": "bridge",
              "network_interface": "skiff4",
              "created": "2026-11-30T10:00:00+00:00",
              "subnets": [
                {
                  "subnet": "fd12:3456:789a:4::/64",
                  "gateway": "fd12:3456:789a:4::fe",
                  "lease_range": {
                    "start_ip": "fd12:3456:789a:4::101",
                    "end_ip": "fd12:3456:789a:4::1ff"
                  }
                },
                {
                  "subnet": "10.89.4.0/24",
                  "gateway": "10.89.4.254",
                  "lease_range": {
                    "start_ip": "10.89.4.129",
                    "end_ip": "10.89.4.255"
                  }
                }
              ],
              "ipv6_enabled": true,
              "internal": false,
              "dns_enabled": true,
              "labels": {},
              "ipam_options": {
                "driver": "host-local"
              }
            }
            """;
        string directory = Directory.CreateTempSubdirectory("skiff-netfile-").FullName;
        try
        {
            var store = new NetworkStore(Path.Combine(directory, "old"), Path.Combine(directory, "run"));
            Directory.CreateDirectory(store.NetworksDirectory);
            File.WriteAllText(Path.Combine(store.NetworksDirectory, "old.json"), file);
            NetworkRecord record = store.Find("old");
            Assert.Equal(("10.89.4.0/24", "10.89.4.254"), (record.Subnet.ToString(), IpSubnet<uint>.FormatAddress(record.Gateway)));
            Assert.Equal(("fd12:3456:789a:4::/64", "fd12:3456:789a:4::fe"), (record.Subnet6.ToString(), IpSubnet<UInt128>.FormatAddress(record.Gateway6!.Value)));
            Assert.Equal(("10.89.4.129", "10.89.4.255"), (IpSubnet<uint>.FormatAddress(record.Range!.Value.First), IpSubnet<uint>.FormatAddress(record.Range.Value.Last)));
            Assert.Equal("fd12:3456:789a:4::1ff", IpSubnet<UInt128>.FormatAddress(record.Range6!.Value.Last));

            var again = new NetworkStore(Path.Combine(directory, "new"), Path.Combine(directory, "run"));
            again.Create(record);
            Assert.Equal(file, File.ReadAllText(Path.Combine(again.NetworksDirectory, "old.json")).ReplaceLineEndings("\n"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_dual_stack_network_masquerades_its_ipv6_subnet_in_an_ip6_table_and_a_v4_only_one_is_unchanged()
    {
        NetworkRecord v4Only = DualStack with { Subnets = [DualStack.Subnets[0]], Ipv6Enabled = false };
        string v4Script = BridgeCommands.NftScript(v4Only);
        Assert.DoesNotContain("ip6", v4Script);
        Assert.Equal("add table ip skiff_skiff3\ndelete table ip skiff_skiff3\n", BridgeCommands.DeleteTableScript(v4Only));

        string script = BridgeCommands.NftScript(DualStack);
        Assert.StartsWith(v4Script, script, StringComparison.Ordinal);
        Assert.Contains("add table ip6 skiff_skiff3\ndelete table ip6 skiff_skiff3\ntable ip6 skiff_skiff3 {\n", script);
        Assert.Contains("ip6 saddr fd12:3456:789a:1::/64 ip6 daddr != fd12:3456:789a:1::/64 masquerade", script);
        Assert.EndsWith("delete table ip6 skiff_skiff3\n", BridgeCommands.DeleteTableScript(DualStack));

        string isolated = BridgeCommands.NftScript(DualStack with { Internal = true });
        Assert.DoesNotContain("masquerade", isolated);
        Assert.Equal(2, isolated.Split("oifname != \"skiff3\" drop").Length - 1);
    }

    [Fact]
    public void Hosts_file_and_dns_records_list_a_dual_stack_peer_under_both_addresses()
    {
        NetworkEndpointEntry[] peers =
        [
            new() { Id = "b0000000000000000000", Name = "web", Aliases = ["www"], Address = "10.89.2.2", Ipv6Address = "fd12:3456:789a:1::2" },
            new() { Id = "c0000000000000000000", Name = "client", Address = "10.89.2.3", Ipv6Address = "fd12:3456:789a:1::3" },
        ];
        Assert.Equal(
            "own\n# skiff network peers\n10.89.2.2\tweb www b00000000000\nfd12:3456:789a:1::2\tweb www b00000000000\n",
            NetworkHostsFile.Render("own\n", peers, "c0000000000000000000"));
        Assert.Contains("fd12:3456:789a:1::3 client c00000000000\n", DnsRecordsFile.Render(peers));
    }

    [Fact]
    public void Aaaa_queries_get_the_ipv6_addresses_and_a_queries_still_only_ipv4()
    {
        DnsRecords records = DnsRecords.Parse(DnsRecordsFile.Render(
        [
            new NetworkEndpointEntry { Id = "b0000000000000000000", Name = "web", Address = "10.89.2.2", Ipv6Address = "fd12:3456:789a:1::2" },
            new NetworkEndpointEntry { Id = "d0000000000000000000", Name = "old", Address = "10.89.2.4" },
        ]));

        byte[] aaaa = DnsAnswerer.Answer(DnsMessages.Query("web.dns.podman", DnsTypes.Aaaa), records, 512, out bool forward)!;
        Assert.False(forward);
        Assert.Equal(0, DnsMessages.ResponseCode(aaaa));
        Assert.Equal(["fd12:3456:789a:1::2"], Ipv6Answers(aaaa));

        byte[] a = DnsAnswerer.Answer(DnsMessages.Query("WEB"), records, 512, out _)!;
        Assert.Equal(["10.89.2.2"], DnsMessages.Addresses(a));
        Assert.Empty(Ipv6Answers(a));

        // A container without an IPv6 address: AAAA is NOERROR with no answers, as before.
        byte[] none = DnsAnswerer.Answer(DnsMessages.Query("old", DnsTypes.Aaaa), records, 512, out _)!;
        Assert.Equal(0, DnsMessages.ResponseCode(none));
        Assert.Equal(0, DnsMessages.AnswerCount(none));

        // Reverse lookup of the IPv6 address (RFC 3596 nibbles).
        string reverse = string.Join('.', "fd123456789a00010000000000000002".Reverse()) + ".ip6.arpa";
        byte[] ptr = DnsAnswerer.Answer(DnsMessages.Query(reverse, DnsTypes.Ptr), records, 512, out forward)!;
        Assert.False(forward);
        Assert.Equal(1, DnsMessages.AnswerCount(ptr));
        Assert.True(DnsCodec.TryReadName(ptr, ptr.Length - 5, out string name, out _, out _));
        Assert.Equal("web", name);
    }

    [Fact]
    public void The_dns_server_listens_on_both_gateways_of_a_dual_stack_network_and_on_the_ipv4_one_otherwise()
    {
        Assert.Equal(["10.89.2.1", "fd12:3456:789a:1::1"], NetworkDns.ListenAddresses(DualStack));
        Assert.Equal(["10.89.2.1"], NetworkDns.ListenAddresses(DualStack with { Subnets = [DualStack.Subnets[0]], Ipv6Enabled = false }));
        Assert.Equal(["__dns", "10.89.2.1,fd12:3456:789a:1::1", "/r/n.dns", "192.0.2.53"], DnsServer.BuildArguments(NetworkDns.ListenAddresses(DualStack), "/r/n.dns", ["192.0.2.53"]));
        DnsServer.Parse(["__dns", "10.89.2.1,fd12:3456:789a:1::1", "/r/n.dns"]);
        Assert.Throws<SkiffException>(() => DnsServer.Parse(["__dns", "10.89.2.1,nonsense", "/r/n.dns"]));
        Assert.Throws<SkiffException>(() => DnsServer.Parse(["__dns", string.Empty, "/r/n.dns"]));
    }

    [Fact]
    public void A_dual_stack_container_lists_its_ipv6_address_in_hosts_and_both_dns_servers_in_resolv_conf()
    {
        var endpoint = new NetworkEndpoint
        {
            Network = "v6net",
            NetworkId = DualStack.Id,
            IPAddress = "10.89.2.2",
            PrefixLength = 24,
            Gateway = "10.89.2.1",
            Bridge = "skiff3",
            DnsEnabled = true,
            Ipv6Address = "fd12:3456:789a:1::2",
            Ipv6PrefixLength = 64,
            Ipv6Gateway = "fd12:3456:789a:1::1",
        };
        var config = new ContainerConfig { Id = new string('a', 64), Name = "web", Created = DateTimeOffset.UnixEpoch, Image = "x", Runtime = "runc", NetworkMode = "v6net", NetworkEndpoints = [endpoint] };
        EtcFilesOptions options = ContainerEtcFiles.Options(config, "h", NetworkMode.Parse("v6net"), new HostAddresses(null, null), string.Empty);
        Assert.EndsWith("10.89.2.2\th web\nfd12:3456:789a:1::2\th web\n", EtcFiles.Hosts(options), StringComparison.Ordinal);
        Assert.Equal("search dns.podman\nnameserver 10.89.2.1\nnameserver fd12:3456:789a:1::1\n", EtcFiles.ResolvConf(options, string.Empty));

        // A v4-only network: one line, one server.
        ContainerConfig v4 = config with { NetworkEndpoints = [endpoint with { Ipv6Address = null, Ipv6PrefixLength = null, Ipv6Gateway = null }] };
        EtcFilesOptions v4Options = ContainerEtcFiles.Options(v4, "h", NetworkMode.Parse("v6net"), new HostAddresses(null, null), string.Empty);
        Assert.DoesNotContain("fd12", EtcFiles.Hosts(v4Options), StringComparison.Ordinal);
        Assert.Equal("search dns.podman\nnameserver 10.89.2.1\n", EtcFiles.ResolvConf(v4Options, string.Empty));
    }

    /// <summary>The AAAA records' addresses in the answer section (which follows a question without compression).</summary>
    private static List<string> Ipv6Answers(byte[] response)
    {
        int at = 12;
        while (response[at] != 0)
        {
            at += response[at] + 1;
        }

        at += 5;
        var addresses = new List<string>();
        for (int i = 0; i < DnsMessages.AnswerCount(response); i++)
        {
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(response.AsSpan(at + 2));
            int length = BinaryPrimitives.ReadUInt16BigEndian(response.AsSpan(at + 10));
            if (type == DnsTypes.Aaaa)
            {
                addresses.Add(new IPAddress(response.AsSpan(at + 12, length)).ToString());
            }

            at += 12 + length;
        }

        return addresses;
    }
}

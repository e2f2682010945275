using Skiff.Core.Errors;
using Skiff.Rootless.Network.Bridge;

namespace Skiff.Tests.Unit.Network;

/// <summary>network create's subnet entry of each IP family: given or allocated subnet, gateway, lease range, and podman's messages.</summary>
public class NetworkSubnetChooserTests
{
    private static readonly IpSubnet<uint>[] Used4 = [IpSubnet<uint>.Parse("10.89.0.0/24")];

    private static readonly IpSubnet<UInt128>[] Used6 = [IpSubnet<UInt128>.Parse("fd5e:1::/64")];

    [Fact]
    public void Without_flags_the_allocator_picks_the_subnet_and_the_gateway_is_its_first_host()
    {
        NetworkSubnet v4 = NetworkSubnetChooser.Choose(null, null, null, Used4, SubnetAllocator.Next);
        Assert.Equal(("10.89.1.0/24", "10.89.1.1", null), (v4.Subnet, v4.Gateway, v4.LeaseRange));

        NetworkSubnet v6 = NetworkSubnetChooser.Choose(null, null, null, Used6, _ => IpSubnet<UInt128>.Parse("fd5e:2::/64"));
        Assert.Equal(("fd5e:2::/64", "fd5e:2::1", null), (v6.Subnet, v6.Gateway, v6.LeaseRange));
    }

    [Fact]
    public void Given_subnet_gateway_and_range_are_normalized_and_recorded_in_both_families()
    {
        NetworkSubnet v4 = NetworkSubnetChooser.Choose("10.90.3.77/24", "10.90.3.254", "10.90.3.128/25", Used4, NotCalled<uint>);
        Assert.Equal(("10.90.3.0/24", "10.90.3.254", "10.90.3.129", "10.90.3.255"), (v4.Subnet, v4.Gateway, v4.LeaseRange!.StartIp, v4.LeaseRange.EndIp));

        NetworkSubnet v6 = NetworkSubnetChooser.Choose("FD5E:3::7/64", "fd5e:3::fe", "fd5e:3::100/120", Used6, NotCalled<UInt128>);
        Assert.Equal(("fd5e:3::/64", "fd5e:3::fe", "fd5e:3::101", "fd5e:3::1ff"), (v6.Subnet, v6.Gateway, v6.LeaseRange!.StartIp, v6.LeaseRange.EndIp));
    }

    [Fact]
    public void A_given_subnet_that_overlaps_a_used_one_is_a_conflict_in_both_families()
    {
        var v4 = Assert.Throws<SkiffException>(() => NetworkSubnetChooser.Choose("10.89.0.128/25", null, null, Used4, NotCalled<uint>));
        Assert.Equal((ErrorKind.Conflict, "subnet 10.89.0.128/25 is already used on the host or by another config"), (v4.Kind, v4.Message));

        var v6 = Assert.Throws<SkiffException>(() => NetworkSubnetChooser.Choose("fd5e::/16", null, null, Used6, NotCalled<UInt128>));
        Assert.Equal((ErrorKind.Conflict, "subnet fd5e::/16 is already used on the host or by another config"), (v6.Kind, v6.Message));
    }

    [Theory]
    [InlineData("10.90.3.0/24", "10.90.4.1", "gateway 10.90.4.1 not in subnet 10.90.3.0/24")]
    [InlineData("10.90.3.0/24", "10.90.3.0", "gateway 10.90.3.0 not in subnet 10.90.3.0/24")]
    [InlineData("10.90.3.0/24", "10.90.3.255", "gateway 10.90.3.255 not in subnet 10.90.3.0/24")]
    [InlineData("10.90.3.0/24", "fd5e:3::1", "gateway fd5e:3::1 not in subnet 10.90.3.0/24")]
    [InlineData("fd5e:3::/64", "fd5e:4::1", "gateway fd5e:4::1 not in subnet fd5e:3::/64")]
    [InlineData("fd5e:3::/64", "fd5e:3::", "gateway fd5e:3:: not in subnet fd5e:3::/64")]
    [InlineData("fd5e:3::/64", "fd5e:3::ffff:ffff:ffff:ffff", "gateway fd5e:3::ffff:ffff:ffff:ffff not in subnet fd5e:3::/64")]
    public void A_gateway_must_be_a_host_address_of_the_subnet(string subnet, string gateway, string message)
    {
        var e = Assert.Throws<SkiffException>(() => Choose(subnet, gateway, null));
        Assert.Equal((ErrorKind.InvalidArgument, message), (e.Kind, e.Message));
    }

    [Theory]
    [InlineData("10.232.1.0/24", "10.232.2.0/25", "lease range start ip 10.232.2.1 not in subnet 10.232.1.0/24")]
    [InlineData("10.232.1.0/24", "10.232.0.0/16", "lease range start ip 10.232.0.1 not in subnet 10.232.1.0/24")]
    [InlineData("10.232.1.0/25", "10.232.1.0/24", "lease range end ip 10.232.1.255 not in subnet 10.232.1.0/25")]
    [InlineData("fd5e:232::/64", "fd5e:233::/120", "lease range start ip fd5e:233::1 not in subnet fd5e:232::/64")]
    [InlineData("fd5e:232::/64", "fd5e:232::/48", "lease range end ip fd5e:232:0:ffff:ffff:ffff:ffff:ffff not in subnet fd5e:232::/64")]
    [InlineData("10.232.1.0/24", "10.232.1.0", "invalid subnet \"10.232.1.0\"")]
    [InlineData("fd5e:232::/64", "10.232.1.0/25", "invalid subnet \"10.232.1.0/25\"")]
    public void A_lease_range_must_lie_inside_the_subnet(string subnet, string range, string message)
    {
        var e = Assert.Throws<SkiffException>(() => Choose(subnet, null, range));
        Assert.Equal((ErrorKind.InvalidArgument, message), (e.Kind, e.Message));
    }

    [Fact]
    public void Subnet_hints_name_the_family_its_longest_prefix_and_an_example()
    {
        Assert.Equal("give an IPv4 subnet in CIDR form with a prefix of 1 to 30, e.g. 10.90.0.0/24", Assert.Throws<SkiffException>(() => IpSubnet<uint>.Parse("10.0.0.0/31")).Hint);
        Assert.Equal("give an IPv6 subnet in CIDR form with a prefix of 1 to 126, e.g. fd12:3456:789a:1::/64", Assert.Throws<SkiffException>(() => IpSubnet<UInt128>.Parse("fd00::/127")).Hint);
        Assert.Equal(IpFamily.V4, IpFamily.OfText("10.0.0.0/8"));
        Assert.Equal(IpFamily.V6, IpFamily.OfText("fd00::/8"));
        Assert.Throws<NotSupportedException>(() => IpFamily.Of<ulong>());
    }

    private static NetworkSubnet Choose(string subnet, string? gateway, string? range) =>
        IpFamily.OfText(subnet) == IpFamily.V6
            ? NetworkSubnetChooser.Choose(subnet, gateway, range, Used6, NotCalled<UInt128>)
            : NetworkSubnetChooser.Choose(subnet, gateway, range, Used4, NotCalled<uint>);

    private static IpSubnet<T> NotCalled<T>(IEnumerable<IpSubnet<T>> used)
        where T : struct, System.Numerics.IBinaryInteger<T>, System.Numerics.IUnsignedNumber<T>, System.Numerics.IMinMaxValue<T> =>
        throw new InvalidOperationException("a given subnet is not allocated");
}

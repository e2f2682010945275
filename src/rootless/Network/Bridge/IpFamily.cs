using System.Net.Sockets;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// What IPv4 and IPv6 subnets differ in besides the width of their addresses (<see cref="IpSubnet{T}"/> over
/// <see cref="uint"/> or <see cref="UInt128"/>): the name users read, the longest prefix a network may have
/// (room for its network address, a gateway, one container and a last address) and an example for hints.
/// </summary>
public sealed record IpFamily(string Name, AddressFamily AddressFamily, int MaxPrefix, string ExampleSubnet)
{
    public static readonly IpFamily V4 = new("IPv4", AddressFamily.InterNetwork, 30, "10.90.0.0/24");

    public static readonly IpFamily V6 = new("IPv6", AddressFamily.InterNetworkV6, 126, "fd12:3456:789a:1::/64");

    /// <summary>The family whose addresses are numbers of type <typeparamref name="T"/>.</summary>
    public static IpFamily Of<T>() =>
        typeof(T) == typeof(uint) ? V4
        : typeof(T) == typeof(UInt128) ? V6
        : throw new NotSupportedException("IP addresses are uint (IPv4) or UInt128 (IPv6) numbers");

    /// <summary>The family <paramref name="text"/> (a subnet or an address) is written in: IPv6 when it has a colon.</summary>
    public static IpFamily OfText(string text) => text.Contains(':') ? V6 : V4;
}

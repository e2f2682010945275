using System.Text.Json.Serialization;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// <c>network create --ip-range</c>: the addresses IPAM hands out on a subnet, first to last inclusive (podman's
/// <c>lease_range</c>: the range's first host address and its last address). Static addresses (<c>--ip</c>,
/// <c>--ip6</c>) need only lie in the subnet.
/// </summary>
public sealed record NetworkLeaseRange
{
    [JsonPropertyName("start_ip")]
    public required string StartIp { get; init; }

    [JsonPropertyName("end_ip")]
    public required string EndIp { get; init; }
}

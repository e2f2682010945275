using System.Text.Json.Serialization;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>One subnet of a network with its gateway, as podman records it.</summary>
public sealed record NetworkSubnet
{
    [JsonPropertyName("subnet")]
    public required string Subnet { get; init; }

    [JsonPropertyName("gateway")]
    public required string Gateway { get; init; }

    /// <summary>Where container addresses are allocated from (<c>--ip-range</c>); null: the whole subnet.</summary>
    [JsonPropertyName("lease_range")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public NetworkLeaseRange? LeaseRange { get; init; }
}

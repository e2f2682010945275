namespace Skiff.Rootless.Network.Bridge;

/// <summary>A container that is connected to a network right now (kept under the run root while its monitor runs).</summary>
public sealed record NetworkEndpointEntry
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    public required string Address { get; init; }

    /// <summary>Its IPv6 address on a dual-stack network, else null.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Ipv6Address { get; init; }

    /// <summary>The monitor that connected it: an entry whose monitor is gone is stale (the monitor was killed).</summary>
    public int MonitorPid { get; init; }
}

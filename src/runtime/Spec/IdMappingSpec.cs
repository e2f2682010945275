using System.Text.Json.Serialization;

namespace Skiff.Runtime.Spec;

/// <summary>One uid/gid mapping line of a user namespace.</summary>
public sealed class IdMappingSpec
{
    [JsonPropertyName("containerID")]
    public uint ContainerId { get; set; }

    [JsonPropertyName("hostID")]
    public uint HostId { get; set; }

    public uint Size { get; set; }
}

using System.Text.Json.Serialization;

namespace Skiff.Runtime.Spec;

/// <summary>A device node to create in the container's /dev (type c, b, u or p).</summary>
public sealed class DeviceSpec
{
    public string Type { get; set; } = "c";

    public string Path { get; set; } = string.Empty;

    public long Major { get; set; }

    public long Minor { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? FileMode { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? Uid { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? Gid { get; set; }
}

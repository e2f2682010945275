using System.Text.Json.Serialization;

namespace Skiff.Runtime.Spec;

/// <summary>One rule of linux.resources.devices: allow or deny access to devices of a type and number.</summary>
public sealed class DeviceCgroupSpec
{
    public bool Allow { get; set; }

    /// <summary>"a" (all), "c" or "b"; null means all.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; set; }

    /// <summary>Null means every major number.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Major { get; set; }

    /// <summary>Null means every minor number.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Minor { get; set; }

    /// <summary>Some of r, w and m; null means all three.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Access { get; set; }
}

using System.Text.Json.Serialization;

namespace Skiff.Runtime.Spec;

/// <summary>Block IO weight (10..1000), per-device weights and per-device rate limits.</summary>
public sealed class BlockIoResources
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ushort? Weight { get; set; }

    [JsonPropertyName("weightDevice")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<WeightDeviceSpec>? WeightDevice { get; set; }

    [JsonPropertyName("throttleReadBpsDevice")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<ThrottleDeviceSpec>? ThrottleReadBpsDevice { get; set; }

    [JsonPropertyName("throttleWriteBpsDevice")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<ThrottleDeviceSpec>? ThrottleWriteBpsDevice { get; set; }

    [JsonPropertyName("throttleReadIOPSDevice")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<ThrottleDeviceSpec>? ThrottleReadIopsDevice { get; set; }

    [JsonPropertyName("throttleWriteIOPSDevice")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<ThrottleDeviceSpec>? ThrottleWriteIopsDevice { get; set; }
}

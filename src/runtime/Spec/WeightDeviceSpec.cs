using System.Text.Json.Serialization;

namespace Skiff.Runtime.Spec;

/// <summary>A block IO weight of one device (10..1000).</summary>
public sealed class WeightDeviceSpec
{
    public long Major { get; set; }

    public long Minor { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ushort? Weight { get; set; }
}

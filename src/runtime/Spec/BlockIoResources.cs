using System.Text.Json.Serialization;

namespace Skiff.Runtime.Spec;

/// <summary>Block IO weight (10..1000).</summary>
public sealed class BlockIoResources
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ushort? Weight { get; set; }
}

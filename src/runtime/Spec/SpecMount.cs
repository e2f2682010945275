using System.Text.Json.Serialization;

namespace Skiff.Runtime.Spec;

/// <summary>One entry of the spec's mounts, performed in order with the destination inside the root.</summary>
public sealed class SpecMount
{
    public string Destination { get; set; } = string.Empty;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Source { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Options { get; set; }
}

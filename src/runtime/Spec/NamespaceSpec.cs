using System.Text.Json.Serialization;

namespace Skiff.Runtime.Spec;

/// <summary>A namespace to create, or to join when <see cref="Path"/> is set (e.g. /proc/PID/ns/net).</summary>
public sealed class NamespaceSpec
{
    public string Type { get; set; } = string.Empty;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Path { get; set; }
}

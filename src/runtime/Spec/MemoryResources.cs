using System.Text.Json.Serialization;

namespace Skiff.Runtime.Spec;

/// <summary>Memory limits in bytes (-1 means unlimited).</summary>
public sealed class MemoryResources
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Limit { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Reservation { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Swap { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? Swappiness { get; set; }

    [JsonPropertyName("disableOOMKiller")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? DisableOomKiller { get; set; }
}

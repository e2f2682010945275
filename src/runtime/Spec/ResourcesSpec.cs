using System.Text.Json.Serialization;

namespace Skiff.Runtime.Spec;

/// <summary>cgroup limits (linux.resources); the built-in runtime applies them to linux.cgroupsPath.</summary>
public sealed class ResourcesSpec
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MemoryResources? Memory { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CpuResources? Cpu { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PidsResources? Pids { get; set; }

    [JsonPropertyName("blockIO")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BlockIoResources? BlockIo { get; set; }
}

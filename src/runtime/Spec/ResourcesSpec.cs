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

    /// <summary>The devices cgroup's rules, in order; the runtime appends its default allow list after them (as runc and crun).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<DeviceCgroupSpec>? Devices { get; set; }

    [JsonPropertyName("blockIO")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BlockIoResources? BlockIo { get; set; }
}

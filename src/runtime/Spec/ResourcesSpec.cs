using System.Text.Json.Serialization;

namespace Skiff.Runtime.Spec;

/// <summary>cgroup limits; parsed and validated now, applied once cgroup support lands.</summary>
public sealed class ResourcesSpec
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MemoryResources? Memory { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CpuResources? Cpu { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PidsResources? Pids { get; set; }
}

using System.Text.Json.Serialization;

namespace Skiff.Runtime.Spec;

/// <summary>A seccomp filter in the runtime spec's form (the same shape docker's profile uses after resolution).</summary>
public sealed class SeccompSpec
{
    public string DefaultAction { get; set; } = "SCMP_ACT_ALLOW";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? DefaultErrnoRet { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Architectures { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Flags { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<SeccompSyscall>? Syscalls { get; set; }
}

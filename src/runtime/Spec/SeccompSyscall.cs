using System.Text.Json.Serialization;

namespace Skiff.Runtime.Spec;

/// <summary>A rule: these syscalls (optionally only with these argument values) get this action.</summary>
public sealed class SeccompSyscall
{
    public List<string> Names { get; set; } = [];

    public string Action { get; set; } = string.Empty;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? ErrnoRet { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<SeccompArg>? Args { get; set; }
}

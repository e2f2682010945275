using System.Text.Json.Serialization;

namespace Skiff.Runtime.Spec;

/// <summary>The container's process: what to execute, as whom, with which privileges.</summary>
public sealed class ProcessSpec
{
    public bool Terminal { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ConsoleSizeSpec? ConsoleSize { get; set; }

    public UserSpec User { get; set; } = new();

    public List<string> Args { get; set; } = [];

    public List<string> Env { get; set; } = [];

    public string Cwd { get; set; } = "/";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CapabilitiesSpec? Capabilities { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<RlimitSpec>? Rlimits { get; set; }

    public bool NoNewPrivileges { get; set; }

    /// <summary>Parsed for compatibility; skiff does not apply AppArmor profiles.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ApparmorProfile { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? OomScoreAdj { get; set; }
}

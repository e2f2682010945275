using System.Text.Json.Serialization;

namespace Skiff.Runtime.Spec;

/// <summary>
/// An OCI runtime-spec config.json (https://github.com/opencontainers/runtime-spec/blob/main/config.md),
/// the contract between the engine and any runtime (ours, crun, runc). Unknown fields are ignored.
/// </summary>
public sealed class RuntimeSpec
{
    public const string Version = "1.0.2-dev";

    public string OciVersion { get; set; } = Version;

    public ProcessSpec? Process { get; set; }

    public RootSpec? Root { get; set; }

    public string? Hostname { get; set; }

    public List<SpecMount> Mounts { get; set; } = [];

    public LinuxSpec? Linux { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Annotations { get; set; }
}

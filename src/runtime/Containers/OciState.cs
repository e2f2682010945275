using System.Text.Json.Serialization;

namespace Skiff.Runtime.Containers;

/// <summary>The runtime spec's state document, as `state` prints it (crun's field set).</summary>
public sealed class OciState
{
    public string OciVersion { get; set; } = Spec.RuntimeSpec.Version;

    public string Id { get; set; } = string.Empty;

    public int Pid { get; set; }

    public string Status { get; set; } = string.Empty;

    public string Bundle { get; set; } = string.Empty;

    public string Rootfs { get; set; } = string.Empty;

    public DateTime Created { get; set; }

    public uint Owner { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Annotations { get; set; }
}

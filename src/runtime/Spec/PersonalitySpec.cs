using System.Text.Json.Serialization;

namespace Skiff.Runtime.Spec;

/// <summary>The OCI spec's linux.personality: the execution domain the process runs in (LINUX, or LINUX32: uname reports a 32-bit machine).</summary>
public sealed class PersonalitySpec
{
    public const string Linux = "LINUX";

    public const string Linux32 = "LINUX32";

    public string Domain { get; set; } = Linux;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Flags { get; set; }
}

using System.Text.Json.Serialization;

namespace Skiff.Runtime.Spec;

/// <summary>The numeric identity the process runs as, inside the container's user namespace.</summary>
public sealed class UserSpec
{
    public uint Uid { get; set; }

    public uint Gid { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? Umask { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<uint>? AdditionalGids { get; set; }
}

namespace Skiff.Runtime.Spec;

/// <summary>One resource limit, e.g. RLIMIT_NOFILE.</summary>
public sealed class RlimitSpec
{
    public string Type { get; set; } = string.Empty;

    public ulong Hard { get; set; }

    public ulong Soft { get; set; }
}

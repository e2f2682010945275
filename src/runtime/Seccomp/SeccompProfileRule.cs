using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Seccomp;

/// <summary>A rule of a profile: the OCI rule plus the conditions under which it applies.</summary>
public sealed class SeccompProfileRule
{
    public List<string>? Names { get; set; }

    /// <summary>The single-name form of old docker profiles.</summary>
    public string? Name { get; set; }

    public string Action { get; set; } = string.Empty;

    public uint? ErrnoRet { get; set; }

    public List<SeccompArg>? Args { get; set; }

    public SeccompRuleFilter? Includes { get; set; }

    public SeccompRuleFilter? Excludes { get; set; }
}

namespace Skiff.Runtime.Seccomp;

/// <summary>Conditions of a profile rule. includes: all of these must hold; excludes: none may.</summary>
public sealed class SeccompRuleFilter
{
    public List<string>? Caps { get; set; }

    /// <summary>Go architecture names (amd64, arm64, …).</summary>
    public List<string>? Arches { get; set; }

    public string? MinKernel { get; set; }
}

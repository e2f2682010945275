namespace Skiff.Runtime.Spec;

/// <summary>The maximum number of tasks (-1 or 0 means unlimited).</summary>
public sealed class PidsResources
{
    public long Limit { get; set; }
}

namespace Skiff.Runtime.Spec;

/// <summary>Initial size of the container's terminal, in characters.</summary>
public sealed class ConsoleSizeSpec
{
    public uint Height { get; set; }

    public uint Width { get; set; }
}

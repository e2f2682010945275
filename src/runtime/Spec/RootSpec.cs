namespace Skiff.Runtime.Spec;

/// <summary>The root filesystem: a directory, relative to the bundle or absolute.</summary>
public sealed class RootSpec
{
    public string Path { get; set; } = "rootfs";

    public bool Readonly { get; set; }
}

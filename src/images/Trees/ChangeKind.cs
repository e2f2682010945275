namespace Skiff.Images.Trees;

/// <summary>How a path differs from the layers below (the letters podman diff prints: A, C, D).</summary>
public enum ChangeKind
{
    Modified,
    Added,
    Deleted,
}

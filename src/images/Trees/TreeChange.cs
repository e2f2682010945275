namespace Skiff.Images.Trees;

/// <summary>One line of <c>diff</c>: an absolute path in the container's tree and how it changed.</summary>
public sealed record TreeChange(string Path, ChangeKind Kind)
{
    /// <summary>podman's letter: <c>A</c> added, <c>C</c> changed, <c>D</c> deleted.</summary>
    public char Letter => Kind switch
    {
        ChangeKind.Added => 'A',
        ChangeKind.Deleted => 'D',
        _ => 'C',
    };

    public override string ToString() => $"{Letter} {Path}";
}

namespace Skiff.Images.Local;

/// <summary>No container uses any image (no container store is wired in).</summary>
public sealed class NoImageUsers : IImageUsers
{
    public IReadOnlyList<string> ContainersUsing(string imageId) => [];
}

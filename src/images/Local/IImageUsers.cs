namespace Skiff.Images.Local;

/// <summary>
/// Who uses an image besides the image store: containers created from it. Images cannot see the runtime's
/// container store, so the CLI passes an implementation over it (or <see cref="NoImageUsers"/> before containers exist).
/// </summary>
public interface IImageUsers
{
    /// <returns>Names or ids of the containers using the image with this id (<c>sha256:…</c>); empty when none.</returns>
    IReadOnlyList<string> ContainersUsing(string imageId);
}

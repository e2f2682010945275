namespace Skiff.Images.Unpack;

/// <summary>
/// A sequence of layer entries in the order they must be applied. Implementations: a tar stream
/// (<see cref="TarEntrySource"/>) and a stored overlay-style diff directory (<see cref="DiffTreeSource"/>).
/// Warnings about entries the source had to skip are added to the list passed in.
/// </summary>
public interface ILayerEntrySource
{
    IEnumerable<LayerEntry> Entries(ICollection<string> warnings);
}

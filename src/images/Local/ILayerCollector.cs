using Skiff.Core.Digests;

namespace Skiff.Images.Local;

/// <summary>Removes unpacked layers that no image uses any more (the layer store's garbage collection).</summary>
public interface ILayerCollector
{
    /// <param name="inUse">Every chain id of every remaining image.</param>
    void RemoveUnreferenced(IReadOnlyCollection<Digest> inUse);
}

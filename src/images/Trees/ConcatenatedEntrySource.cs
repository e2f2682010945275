using Skiff.Images.Unpack;

namespace Skiff.Images.Trees;

/// <summary>The entries of several sources one after the other (cp of a stopped container's directory: its tree, then the volumes mounted below it).</summary>
public sealed class ConcatenatedEntrySource(IReadOnlyList<ILayerEntrySource> sources) : ILayerEntrySource
{
    public IEnumerable<LayerEntry> Entries(ICollection<string> warnings) => sources.SelectMany(s => s.Entries(warnings));
}

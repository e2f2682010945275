using Skiff.Core.IdMaps;
using Skiff.Images.Unpack;

namespace Skiff.Images.Trees;

/// <summary>
/// Reads a container's tree with the owners the container sees: a container with a user namespace of
/// its own stores what it writes (and, rootless, its whole shifted copy) with the ids of the outer
/// namespace, so ids inside the map's outer range are turned back into container ids. Ids outside it
/// (an idmapped image layer read as is) are already container ids and stay.
/// </summary>
public sealed class ContainerOwnersSource(ILayerEntrySource inner, IdMap map) : ILayerEntrySource
{
    public IEnumerable<LayerEntry> Entries(ICollection<string> warnings) =>
        inner.Entries(warnings).Select(e => e with { Uid = map.ContainerUid(e.Uid) ?? e.Uid, Gid = map.ContainerGid(e.Gid) ?? e.Gid });
}

using Skiff.Core.IdMaps;
using Skiff.Images.Trees;
using Skiff.Images.Unpack;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// The owners cp gives files, for a container whose files this process sees with outer ids (<see cref="ContainerRoot.OuterIds"/>:
/// a user namespace of its own, as with --uidmap or --userns=auto): out of it they carry the ids the container sees (what
/// <c>export</c> shows), into it they go through its map, so the container sees the source's ids with -a and its root
/// without (as podman's cp; for a container without a map, without -a the copy is simply the caller's).
/// </summary>
public static class CopyOwners
{
    /// <summary>What a copy out of the container reads.</summary>
    public static ILayerEntrySource Out(ILayerEntrySource tree, IdMap? outerIds) =>
        outerIds is null ? tree : new ContainerOwnersSource(tree, outerIds);

    /// <summary>What a copy into the container writes, and how.</summary>
    public static (ILayerEntrySource Source, ApplyOptions Options) In(ILayerEntrySource tree, IdMap? outerIds, bool keepOwners)
    {
        if (outerIds is null)
        {
            return (tree, new ApplyOptions { PreserveOwners = keepOwners });
        }

        return (keepOwners ? tree : new RootOwned(tree), new ApplyOptions { Owners = outerIds });
    }

    /// <summary>Every entry owned by the container's root (0:0), written through the map as its outer ids.</summary>
    private sealed class RootOwned(ILayerEntrySource inner) : ILayerEntrySource
    {
        public IEnumerable<LayerEntry> Entries(ICollection<string> warnings) =>
            inner.Entries(warnings).Select(e => e with { Uid = 0, Gid = 0 });
    }
}

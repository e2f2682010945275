using Skiff.Core.IdMaps;
using Skiff.Images.Trees;
using Skiff.Images.Unpack;

namespace Skiff.Tests.Unit.Rootless;

public class ContainerOwnersSourceTests
{
    private sealed class Fixed(params LayerEntry[] entries) : ILayerEntrySource
    {
        public IEnumerable<LayerEntry> Entries(ICollection<string> warnings) => entries;
    }

    [Fact]
    public void Outer_ids_become_container_ids_and_others_stay()
    {
        var map = new IdMap([new IdMapping(0, 200000, 65536)], [new IdMapping(0, 300000, 65536)]);
        var source = new ContainerOwnersSource(new Fixed(
            new LayerEntry { Path = "a", Kind = LayerEntryKind.File, Uid = 200005, Gid = 300007 },
            new LayerEntry { Path = "b", Kind = LayerEntryKind.File, Uid = 0, Gid = 0 }), map);
        Assert.Equal([(5u, 7u), (0u, 0u)], source.Entries([]).Select(e => (e.Uid, e.Gid)));
        Assert.Equal(1001u, ContainerKeepId().ContainerUid(0));
    }

    private static IdMap ContainerKeepId() =>
        new(Skiff.Rootless.IdMaps.ContainerIdMapPlanner.KeepId(1001, 65537), Skiff.Rootless.IdMaps.ContainerIdMapPlanner.KeepId(1001, 65537));
}

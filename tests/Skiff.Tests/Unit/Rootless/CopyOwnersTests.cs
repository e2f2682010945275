using Skiff.Cli.Commands.Containers;
using Skiff.Core.IdMaps;
using Skiff.Images.Unpack;

namespace Skiff.Tests.Unit.Rootless;

public class CopyOwnersTests
{
    private static readonly IdMap Map = new([new IdMapping(0, 200000, 65536)], [new IdMapping(0, 300000, 65536)]);

    private sealed class Fixed(params LayerEntry[] entries) : ILayerEntrySource
    {
        public IEnumerable<LayerEntry> Entries(ICollection<string> warnings) => entries;
    }

    private static Fixed Tree() => new(
        new LayerEntry { Path = "d", Kind = LayerEntryKind.Directory, Uid = 1000, Gid = 1001 },
        new LayerEntry { Path = "d/f", Kind = LayerEntryKind.File, Uid = 0, Gid = 5 });

    /// <summary>The host ids each entry is written with.</summary>
    private static (uint, uint)[] Written((ILayerEntrySource Source, ApplyOptions Options) plan) =>
        plan.Source.Entries([]).Select(e => (plan.Options.MapUid(e.Uid), plan.Options.MapGid(e.Gid))).ToArray();

    [Fact]
    public void Into_a_mapped_container_without_a_the_copy_is_its_roots_through_the_map()
    {
        var plan = CopyOwners.In(Tree(), Map, keepOwners: false);
        Assert.True(plan.Options.PreserveOwners);
        Assert.Equal([(200000u, 300000u), (200000u, 300000u)], Written(plan));
    }

    [Fact]
    public void Into_a_mapped_container_with_a_the_sources_ids_go_through_the_map()
    {
        var plan = CopyOwners.In(Tree(), Map, keepOwners: true);
        Assert.Equal([(201000u, 301001u), (200000u, 300005u)], Written(plan));

        // An id the map does not cover is the overflow id, as the container would see it anyway.
        var far = CopyOwners.In(new Fixed(new LayerEntry { Path = "x", Kind = LayerEntryKind.File, Uid = 70000, Gid = 70000 }), Map, keepOwners: true);
        Assert.Equal([(65534u, 65534u)], Written(far));
    }

    [Fact]
    public void Without_a_map_owners_are_kept_only_with_a()
    {
        Assert.False(CopyOwners.In(Tree(), null, keepOwners: false).Options.PreserveOwners);
        var kept = CopyOwners.In(Tree(), null, keepOwners: true);
        Assert.True(kept.Options.PreserveOwners);
        Assert.Equal([(1000u, 1001u), (0u, 5u)], Written(kept));
    }

    [Fact]
    public void Out_of_a_mapped_container_the_ids_are_the_ones_it_sees()
    {
        // What the container wrote is stored with outer ids; an idmapped image layer read as is has container ids already.
        var outer = new Fixed(
            new LayerEntry { Path = "d", Kind = LayerEntryKind.Directory, Uid = 201000, Gid = 301001 },
            new LayerEntry { Path = "bin/sh", Kind = LayerEntryKind.File, Uid = 0, Gid = 0 });
        Assert.Equal([(1000u, 1001u), (0u, 0u)], CopyOwners.Out(outer, Map).Entries([]).Select(e => (e.Uid, e.Gid)));
        Assert.Same(outer, CopyOwners.Out(outer, null));
    }
}

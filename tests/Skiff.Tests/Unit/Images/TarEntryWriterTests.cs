using System.Formats.Tar;
using Skiff.Images.Trees;
using Skiff.Images.Unpack;

namespace Skiff.Tests.Unit.Images;

public class TarEntryWriterTests
{
    private sealed class FixedEntries(params LayerEntry[] entries) : ILayerEntrySource
    {
        public IEnumerable<LayerEntry> Entries(ICollection<string> warnings) => entries;
    }

    private static readonly FixedEntries Layer = new(
        new LayerEntry { Path = string.Empty, Kind = LayerEntryKind.Directory, Mode = 0x1ED },
        new LayerEntry { Path = "etc", Kind = LayerEntryKind.Directory, Mode = 0x1ED },
        new LayerEntry { Path = "etc/group", Kind = LayerEntryKind.Whiteout },
        new LayerEntry { Path = "opq", Kind = LayerEntryKind.Directory, Mode = 0x1ED },
        new LayerEntry { Path = "opq", Kind = LayerEntryKind.Opaque },
        new LayerEntry { Path = "gone", Kind = LayerEntryKind.Whiteout },
        new LayerEntry { Path = "tmp/rootlink", Kind = LayerEntryKind.Symlink, LinkTarget = "/" });

    [Fact]
    public void A_layer_spells_whiteouts_and_opaque_directories_as_the_oci_spec()
    {
        Assert.Equal(["./", "etc/", "etc/.wh.group", "opq/", "opq/.wh..wh..opq", ".wh.gone", "tmp/rootlink -> /"], Names(whiteouts: true));
    }

    [Fact]
    public void A_tree_leaves_them_out()
    {
        Assert.Equal(["./", "etc/", "opq/", "tmp/rootlink -> /"], Names(whiteouts: false));
    }

    private static List<string> Names(bool whiteouts)
    {
        using var stream = new MemoryStream();
        TarEntryWriter.Write(Layer, stream, whiteouts);
        stream.Position = 0;
        using var reader = new TarReader(stream);
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add(entry.EntryType == TarEntryType.SymbolicLink ? $"{entry.Name} -> {entry.LinkName}" : entry.Name);
        }

        return names;
    }
}

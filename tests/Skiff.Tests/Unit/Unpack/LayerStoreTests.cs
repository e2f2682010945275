using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Images.Files;
using Skiff.Images.Unpack;

namespace Skiff.Tests.Unit.Unpack;

/// <summary>The layer store's crash safety, verification and garbage collection.</summary>
public sealed class LayerStoreTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("skiff-layers-").FullName;

    private LayerStore Store => new(temp, new LayerStoreOptions { Whiteouts = WhiteoutStyle.OverlayTrusted });

    [Fact]
    public void A_wrong_diff_id_stores_nothing()
    {
        byte[] tar = new LayerTar().File("a", "a").ToBytes();
        Digest wrong = Digest.Sha256Of("other"u8);
        var e = Assert.ThrowsAny<SkiffException>(() => Store.Ensure(wrong, null, wrong, () => new MemoryStream(TestLayers.Gzip(tar))));
        Assert.Contains("digest", e.Message, StringComparison.Ordinal);
        Assert.Null(Store.TryGet(wrong));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(temp, "layers", ".tmp")));
        Assert.False(Directory.Exists(Path.Combine(temp, "layers", wrong.Hex)));
    }

    [Fact]
    public void Leftovers_of_a_killed_extraction_are_ignored_and_cleaned()
    {
        byte[] tar = new LayerTar().File("a", "a").ToBytes();
        Digest diffId = Digest.Sha256Of(tar);
        string leftover = Path.Combine(temp, "layers", ".tmp", $"{diffId.Hex}-99999-dead", "diff");
        Directory.CreateDirectory(leftover);
        File.WriteAllText(Path.Combine(leftover, "half"), "written");

        // A layer directory without layer.json (an older crash) is replaced, not trusted.
        Directory.CreateDirectory(Path.Combine(temp, "layers", diffId.Hex, "diff"));
        Assert.Null(Store.TryGet(diffId));

        LayerInfo info = Store.Ensure(diffId, null, diffId, () => new MemoryStream(tar));
        Assert.Equal(diffId.Value, info.DiffId);
        Assert.True(File.Exists(Path.Combine(Store.DiffPath(diffId), "a")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(temp, "layers", ".tmp")));
    }

    [Fact]
    public void Parallel_ensures_of_one_layer_extract_it_once()
    {
        byte[] tar = new LayerTar().File("a", "a").ToBytes();
        Digest diffId = Digest.Sha256Of(tar);
        int opened = 0;
        Parallel.For(0, 4, _ => Store.Ensure(diffId, null, diffId, () =>
        {
            Interlocked.Increment(ref opened);
            return new MemoryStream(tar);
        }));
        Assert.Equal(1, opened);
    }

    [Fact]
    public void Unreferenced_layers_are_removed_and_referenced_ones_kept()
    {
        IReadOnlyList<Digest> kept = TestLayers.Store(Store, new LayerTar().File("base", "b"), new LayerTar().File("top", "t"));
        IReadOnlyList<Digest> dropped = TestLayers.Store(Store, new LayerTar().File("other", "o"));
        IReadOnlyList<Digest> removed = Store.RemoveUnreferenced(kept);
        Assert.Equal(dropped, removed);
        Assert.All(kept, c => Assert.NotNull(Store.TryGet(c)));
        Assert.Null(Store.TryGet(dropped[0]));
        Assert.Equal(2, Store.List().Count);
    }

    [Fact]
    public void Overlay_style_diffs_carry_whiteouts_and_opaque_markers()
    {
        IReadOnlyList<Digest> chain = TestLayers.Store(
            Store,
            new LayerTar().Dir("d").File("d/x", "x").File("gone", "g"),
            new LayerTar().Whiteout("gone").Dir("d").Opaque("d").File("d/y", "y"));
        LayerInfo top = Store.Get(chain[1]);
        Assert.Equal(["gone"], top.Whiteouts);
        Assert.Equal(["d"], top.OpaqueDirectories);
        using DirectoryHandle diff = DirectoryHandle.Open(Store.DiffPath(chain[1]));
        Assert.True(diff.Stat("gone").IsOverlayWhiteout);
        Assert.Equal("y"u8.ToArray(), diff.ReadXattrs("d")["trusted.overlay.opaque"]);
    }

    public void Dispose()
    {
        using DirectoryHandle handle = DirectoryHandle.Open(Path.GetTempPath());
        handle.RemoveTree(Path.GetFileName(temp));
    }
}

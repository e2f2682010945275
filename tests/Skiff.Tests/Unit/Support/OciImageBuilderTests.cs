using System.Formats.Tar;
using Skiff.Tests.Support;

namespace Skiff.Tests.Unit.Support;

public sealed class OciImageBuilderTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("skiff-oci-").FullName;

    [Fact]
    public void Same_image_gives_the_same_digests()
    {
        OciImage first = TestImages.Busybox().Layer(l => l.File("/x", "x"), LayerCompression.Zstd).WriteLayout(Path.Combine(directory, "a"));
        Thread.Sleep(1100);
        OciImage second = TestImages.Busybox().Layer(l => l.File("/x", "x"), LayerCompression.Zstd).WriteLayout(Path.Combine(directory, "b"));
        Assert.Equal(first.ManifestDigest, second.ManifestDigest);
        Assert.Equal(first.LayerDigests, second.LayerDigests);
    }

    [Fact]
    public void Layer_entries_carry_owners_modes_links_and_whiteouts()
    {
        byte[] tar = new LayerBuilder()
            .Directory("/d", mode: 0b111_000_000, uid: 1000, gid: 1001)
            .File("/d/f", "hi", uid: 1000, xattrs: new Dictionary<string, string> { ["user.k"] = "v" })
            .Hardlink("/d/h", "/d/f")
            .Symlink("/d/s", "/etc/passwd")
            .Whiteout("/d/gone")
            .Opaque("/o")
            .ToTar();
        using var reader = new TarReader(new MemoryStream(tar));
        var entries = new List<TarEntry>();
        while (reader.GetNextEntry() is { } entry)
        {
            entries.Add(entry);
        }

        Assert.Equal(["d/", "d/f", "d/h", "d/s", "d/.wh.gone", "o/.wh..wh..opq"], entries.Select(e => e.Name).ToArray());
        Assert.Equal((1000, 1001, (UnixFileMode)0b111_000_000), (entries[0].Uid, entries[0].Gid, entries[0].Mode));
        Assert.Equal("v", ((PaxTarEntry)entries[1]).ExtendedAttributes["SCHILY.xattr.user.k"]);
        Assert.Equal((TarEntryType.HardLink, "d/f"), (entries[2].EntryType, entries[2].LinkName));
        Assert.Equal((TarEntryType.SymbolicLink, "/etc/passwd"), (entries[3].EntryType, entries[3].LinkName));
        Assert.All(entries, e => Assert.Equal(LayerBuilder.FixedTime, e.ModificationTime));
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}

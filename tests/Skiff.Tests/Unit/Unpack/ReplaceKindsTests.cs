using Skiff.Core.Errors;
using Skiff.Images.Files;
using Skiff.Images.Unpack;

namespace Skiff.Tests.Unit.Unpack;

/// <summary><see cref="ApplyOptions.ReplaceKinds"/>: what <c>cp</c> without <c>--overwrite</c> refuses, and what a layer (and --overwrite) replaces.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ReplaceKindsTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("skiff-kinds-").FullName;

    public ReplaceKindsTests()
    {
        Directory.CreateDirectory(Path.Combine(root, "dir", "sub"));
        File.WriteAllText(Path.Combine(root, "dir", "sub", "kept"), "kept");
        File.WriteAllText(Path.Combine(root, "file"), "old");
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void A_file_over_a_directory_is_refused_and_the_directory_stays()
    {
        SkiffException e = Assert.Throws<SkiffException>(() => Apply(new LayerTar().File("dir", "new"), replaceKinds: false));
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Contains("cannot overwrite directory \"dir\" with non-directory", e.Message);
        Assert.True(File.Exists(Path.Combine(root, "dir", "sub", "kept")));
    }

    [Fact]
    public void A_directory_or_symlink_over_a_file_is_refused_and_what_came_before_stays()
    {
        SkiffException e = Assert.Throws<SkiffException>(() => Apply(new LayerTar().File("before", "b").Dir("file"), replaceKinds: false));
        Assert.Contains("cannot overwrite non-directory \"file\" with directory", e.Message);
        Assert.Equal("old", File.ReadAllText(Path.Combine(root, "file")));
        Assert.Equal("b", File.ReadAllText(Path.Combine(root, "before")));
        Assert.Throws<SkiffException>(() => Apply(new LayerTar().Symlink("dir", "/etc"), replaceKinds: false));
    }

    [Fact]
    public void Same_kinds_are_written_over_without_the_flag()
    {
        Apply(new LayerTar().File("file", "new").Dir("dir").File("dir/sub/kept", "again"), replaceKinds: false);
        Assert.Equal("new", File.ReadAllText(Path.Combine(root, "file")));
        Assert.Equal("again", File.ReadAllText(Path.Combine(root, "dir", "sub", "kept")));
    }

    [Fact]
    public void With_replace_kinds_each_kind_replaces_the_other()
    {
        Apply(new LayerTar().File("dir", "now a file").Dir("file").File("file/inside", "in"), replaceKinds: true);
        Assert.Equal("now a file", File.ReadAllText(Path.Combine(root, "dir")));
        Assert.Equal("in", File.ReadAllText(Path.Combine(root, "file", "inside")));
    }

    private void Apply(LayerTar layer, bool replaceKinds)
    {
        using DirectoryHandle handle = DirectoryHandle.Open(root);
        new LayerApplier().Apply(
            new TarEntrySource(new MemoryStream(layer.ToBytes()), 1000),
            handle,
            new ApplyOptions { PreserveOwners = false, ReplaceKinds = replaceKinds });
    }
}

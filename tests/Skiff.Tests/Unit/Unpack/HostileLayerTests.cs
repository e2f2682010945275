using System.Formats.Tar;
using Skiff.Core.Errors;
using Skiff.Images.Files;
using Skiff.Images.Unpack;

namespace Skiff.Tests.Unit.Unpack;

/// <summary>
/// Malicious layers after containerd's TestBreakouts catalogue (pkg/archive/tar_test.go). Each layer is
/// applied in a temp dir beside a sentinel tree "outside"; every case must either fail with a
/// SkiffException or land entirely inside the root, and the sentinel and the temp dir itself must be
/// unchanged afterwards. Every case runs for the full-tree (delete) and the overlay-diff whiteout styles.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostileLayerTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("skiff-hostile-").FullName;
    private readonly string root;
    private readonly string outside;

    public HostileLayerTests()
    {
        root = Path.Combine(temp, "root");
        outside = Path.Combine(temp, "outside");
        Directory.CreateDirectory(root);
        Directory.CreateDirectory(Path.Combine(outside, "dir"));
        File.WriteAllText(Path.Combine(outside, "secret"), "do not touch");
        File.WriteAllText(Path.Combine(outside, "dir", "inner"), "inner");
        File.SetUnixFileMode(Path.Combine(outside, "secret"), UnixFileMode.UserRead);
        File.SetLastWriteTimeUtc(Path.Combine(outside, "secret"), new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Directory.SetLastWriteTimeUtc(Path.Combine(outside, "dir"), new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
    }

    public static TheoryData<string, WhiteoutStyle> Cases()
    {
        var data = new TheoryData<string, WhiteoutStyle>();
        foreach (string name in Catalogue("/x").Keys)
        {
            data.Add(name, WhiteoutStyle.Delete);
            data.Add(name, WhiteoutStyle.OverlayTrusted);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hostile_layer_is_rejected_or_stays_inside_the_root(string name, WhiteoutStyle style)
    {
        LayerTar[] layers = Catalogue(outside)[name];
        string before = TreeSnapshot.Of(outside);
        string[] siblingsBefore = Directory.GetFileSystemEntries(temp).Order().ToArray();
        long mtimeBefore = new DirectoryInfo(temp).LastWriteTimeUtc.Ticks;

        foreach (LayerTar layer in layers)
        {
            try
            {
                Apply(layer, style);
            }
            catch (SkiffException)
            {
                // Rejected with our error: fine, as long as nothing outside changed.
                break;
            }
        }

        Assert.Equal(before, TreeSnapshot.Of(outside));
        Assert.Equal(siblingsBefore, Directory.GetFileSystemEntries(temp).Order().ToArray());
        Assert.Equal(mtimeBefore, new DirectoryInfo(temp).LastWriteTimeUtc.Ticks);
        Assert.Equal("do not touch", File.ReadAllText(Path.Combine(outside, "secret")));
    }

    [Theory]
    [InlineData(".wh..")]
    [InlineData(".wh...")]
    [InlineData("etc/.wh..")]
    [InlineData("etc/.wh...")]
    public void Whiteouts_of_dot_and_dotdot_are_rejected(string entry)
    {
        Apply(new LayerTar().Dir("etc").File("etc/passwd", "inside"), WhiteoutStyle.Delete);
        var e = Assert.ThrowsAny<SkiffException>(() => Apply(new LayerTar().File(entry, string.Empty), WhiteoutStyle.Delete));
        Assert.Contains("whiteout", e.Message, StringComparison.Ordinal);
        Assert.Equal("inside", File.ReadAllText(Path.Combine(root, "etc", "passwd")));
    }

    [Fact]
    public void Whiteout_through_a_symlinked_parent_removes_inside_only()
    {
        Apply(new LayerTar().Dir("etc").File("etc/passwd", "all users").File("etc/whitedout", "w").Symlink("localetc", "/etc"), WhiteoutStyle.Delete);
        Apply(new LayerTar().File("localetc/.wh.whitedout", string.Empty), WhiteoutStyle.Delete);
        Assert.False(File.Exists(Path.Combine(root, "etc", "whitedout")));
        Assert.Equal("all users", File.ReadAllText(Path.Combine(root, "etc", "passwd")));
    }

    [Fact]
    public void Whiteout_of_a_symlink_removes_the_link_not_the_target()
    {
        Apply(new LayerTar().Dir("etc").File("etc/passwd", "all users").Symlink("localetc", "/etc"), WhiteoutStyle.Delete);
        Apply(new LayerTar().Whiteout("localetc"), WhiteoutStyle.Delete);
        Assert.False(Path.Exists(Path.Combine(root, "localetc")));
        Assert.Equal("all users", File.ReadAllText(Path.Combine(root, "etc", "passwd")));
    }

    [Fact]
    public void Dotdot_in_a_whiteout_path_is_cleaned_lexically()
    {
        Apply(new LayerTar().Dir("etc").File("etc/passwd", "all users").Symlink("localetc", "/dne"), WhiteoutStyle.Delete);
        Apply(new LayerTar().File("dne/../.wh.etc", string.Empty), WhiteoutStyle.Delete);
        Assert.False(Directory.Exists(Path.Combine(root, "etc")));
    }

    [Fact]
    public void Hard_link_to_a_symlink_links_the_symlink_itself()
    {
        Apply(new LayerTar().Dir("etc").File("etc/passwd", "inside").Symlink("passwdlink", "../../../../../etc/passwd").HardLink("localpasswd", "/passwdlink"), WhiteoutStyle.Delete);
        using DirectoryHandle handle = DirectoryHandle.Open(root);
        Assert.Equal(handle.Stat("passwdlink").Inode, handle.Stat("localpasswd").Inode);
        Assert.Equal(FileKind.Symlink, handle.Stat("localpasswd").Kind);
    }

    [Fact]
    public void Symlink_replacing_a_directory_then_hard_link_through_it_stays_inside()
    {
        Apply(new LayerTar().Dir("etc").File("etc/passwd", "inside").Dir("localetc"), WhiteoutStyle.Delete);
        Apply(new LayerTar().Symlink("localetc", "/etc").HardLink("localetc/localpasswd", "etc/passwd"), WhiteoutStyle.Delete);
        using DirectoryHandle handle = DirectoryHandle.Open(root);
        using DirectoryHandle etc = handle.OpenChild("etc");
        Assert.Equal(etc.Stat("passwd").Inode, etc.Stat("localpasswd").Inode);
    }

    [Fact]
    public void Uncompressed_size_is_bounded()
    {
        byte[] tar = new LayerTar().File("big", new string('a', 100_000)).ToBytes();
        using var bounded = new BoundedHashingStream(new MemoryStream(tar), 50_000);
        using DirectoryHandle handle = DirectoryHandle.Open(root);
        var e = Assert.ThrowsAny<SkiffException>(() => new LayerApplier().Apply(new TarEntrySource(bounded, 100), handle, new ApplyOptions()));
        Assert.Contains("more than 50000 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entry_count_is_bounded()
    {
        var layer = new LayerTar();
        for (int i = 0; i < 20; i++)
        {
            layer.File($"f{i}");
        }

        using DirectoryHandle handle = DirectoryHandle.Open(root);
        var e = Assert.ThrowsAny<SkiffException>(() => new LayerApplier().Apply(new TarEntrySource(new MemoryStream(layer.ToBytes()), 10), handle, new ApplyOptions()));
        Assert.Contains("more than 10 entries", e.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        using DirectoryHandle handle = DirectoryHandle.Open(Path.GetTempPath());
        handle.RemoveTree(Path.GetFileName(temp));
    }

    private static Dictionary<string, LayerTar[]> Catalogue(string outside)
    {
        string rel = "../outside";
        return new Dictionary<string, LayerTar[]>
        {
            ["DotDotFile"] = [new LayerTar().File(rel + "/pwned", "x").File("../../../../pwned2", "x")],
            ["AbsoluteFile"] = [new LayerTar().File(outside + "/pwned", "x").File(outside + "/secret", "overwritten")],
            ["SymlinkAbsoluteThenFile"] = [new LayerTar().Symlink("escape", outside).File("escape/pwned", "x").File("escape/secret", "overwritten")],
            ["SymlinkRelativeThenFile"] = [new LayerTar().Symlink("escape", "../../../../../../" + outside.TrimStart('/')).File("escape/secret", "overwritten")],
            ["SymlinkDotDotThenFile"] = [new LayerTar().Symlink("escape", rel).File("escape/secret", "overwritten")],
            ["SymlinkReplacesDirectoryThenFile"] =
            [
                new LayerTar().Dir("etc").File("etc/passwd", "inside"),
                new LayerTar().Symlink("etc", outside).File("etc/secret", "overwritten").File("etc/passwd", "new"),
            ],
            ["SymlinkThenDirectoryEntryChmod"] = [new LayerTar().Symlink("escape", outside + "/dir").Dir("escape", 0x1FF)],
            ["SymlinkThenChmodChownUtimeFile"] = [new LayerTar().Symlink("link", outside + "/secret").File("link", "replaced", 0x1FF, 1000, 1000)],
            ["SymlinkParentDirectoryEntry"] = [new LayerTar().Symlink("escape", outside).Dir("escape/dir", 0x1FF).Dir("escape/new")],
            ["HardlinkEscapeDotDot"] = [new LayerTar().HardLink("link", rel + "/secret")],
            ["HardlinkEscapeAbsolute"] = [new LayerTar().HardLink("link", outside + "/secret")],
            ["HardlinkThroughSymlinkParent"] = [new LayerTar().Symlink("escape", outside).HardLink("link", "escape/secret")],
            ["HardlinkToSymlinkPointingOutside"] = [new LayerTar().Symlink("sl", outside + "/secret").HardLink("hl", "sl").File("hl", "overwritten")],
            ["HardlinkSymlinkChmod"] = [new LayerTar().Symlink(outside + "/also", outside + "/secret").HardLink("sketchylink", outside + "/also")],
            ["HardlinkSymlinkBeforeCreateTarget"] = [new LayerTar().Dir("etc").Symlink("localpasswd", "/etc/passwd").HardLink("localpasswd-dup", "localpasswd").File("/etc/passwd", "after")],
            ["WhiteoutThroughSymlink"] = [new LayerTar().Symlink("localetc", outside).File("localetc/.wh.secret", string.Empty).File("localetc/.wh.dir", string.Empty)],
            ["WhiteoutThroughDotDot"] = [new LayerTar().File("../outside/.wh.secret", string.Empty).File("a/../../.wh.outside", string.Empty)],
            ["WhiteoutDeadSymlinkParent"] = [new LayerTar().Symlink("localetc", outside + "/dne").File("localetc/.wh.etc", string.Empty)],
            ["OpaqueThroughSymlink"] = [new LayerTar().Symlink("o", outside).Opaque("o").Symlink("d", outside + "/dir").Opaque("d")],
            ["RootIsSymlink"] = [new LayerTar().Symlink("/", outside)],
            ["DotIsSymlink"] = [new LayerTar().Symlink(".", outside).File("./secret", "overwritten")],
            ["DotSlashIsSymlink"] = [new LayerTar().Symlink("./", outside).File("pwned", "x")],
            ["DeviceThroughSymlink"] = [new LayerTar().Symlink("escape", outside).Device("escape/null", TarEntryType.CharacterDevice, 1, 3).Fifo("escape/fifo")],
            ["DanglingSymlinkParentToOutside"] = [new LayerTar().Symlink("d", outside + "/newdir").File("d/f", "x")],
            ["XattrThroughSymlink"] = [new LayerTar().Symlink("escape", outside).File("escape/secret", "x", xattrs: new() { ["user.evil"] = "1" })],
            ["OverlayXattrSmuggling"] = [new LayerTar().Dir("d", xattrs: new() { ["trusted.overlay.opaque"] = "y", ["user.overlay.redirect"] = outside })],
            ["LongName"] = [new LayerTar().File(string.Concat(Enumerable.Repeat("a/", 2100)) + "f", "x")],
            ["LongComponent"] = [new LayerTar().File(new string('a', 300), "x")],
        };
    }

    private void Apply(LayerTar layer, WhiteoutStyle style)
    {
        using DirectoryHandle handle = DirectoryHandle.Open(root);
        new LayerApplier().Apply(
            new TarEntrySource(new MemoryStream(layer.ToBytes()), 1000),
            handle,
            new ApplyOptions { Whiteouts = style, PreserveOwners = Environment.UserName == "root" });
    }
}

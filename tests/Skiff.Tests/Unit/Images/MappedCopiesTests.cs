using Skiff.Core.Digests;
using Skiff.Core.Mounts;
using Skiff.Images.Snapshots;

namespace Skiff.Tests.Unit.Images;

/// <summary>Which owner-shifted image copies are orphans (image gone, no container mounting them), and their removal.</summary>
public sealed class MappedCopiesTests : IDisposable
{
    private static readonly Digest Kept = Digest.Parse("sha256:" + new string('a', 64));
    private static readonly Digest Gone = Digest.Parse("sha256:" + new string('b', 64));
    private static readonly Digest Base = Digest.Parse("sha256:" + new string('c', 64));

    private readonly string root = Directory.CreateTempSubdirectory("skiff-mapped-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void Copies_of_removed_images_are_orphans_unless_a_container_mounts_them()
    {
        var copies = new MappedCopies(root);
        Make("kept", Base, Kept);
        Make("gone", Base, Gone);
        Make("used", Gone);
        Directory.CreateDirectory(Path.Combine(root, "unfinished", "rootfs.tmp"));
        var images = new HashSet<Digest> { Base, Kept };

        Assert.Equal(["gone", "unfinished"], copies.Orphans(images, new HashSet<string> { "used" }).Select(c => c.Name).Order());
        Assert.Equal(Kept, copies.List().Single(c => c.Name == "kept").TopChainId);

        Assert.True(copies.Sweep(images, new HashSet<string> { "used" }) > 0);
        Assert.Equal(["kept", "used"], Directory.EnumerateDirectories(root).Select(Path.GetFileName).Order());
        Assert.False(File.Exists(Path.Combine(root, "gone.lock")));
        Assert.True(File.Exists(Path.Combine(root, "kept.lock")));
    }

    [Fact]
    public void A_copy_whose_lock_is_held_is_not_removed()
    {
        var copies = new MappedCopies(root);
        Make("busy", Gone);
        using (Skiff.Core.Files.FileLock.Acquire(Path.Combine(root, "busy.lock")))
        {
            Assert.False(copies.TryRemove("busy"));
        }

        Assert.True(Directory.Exists(Path.Combine(root, "busy")));
        Assert.True(copies.TryRemove("busy"));
        Assert.False(Directory.Exists(Path.Combine(root, "busy")));
    }

    [Fact]
    public void Container_mounts_name_the_copies_they_use()
    {
        var copies = new MappedCopies(root + "/");
        MountSpec overlay = new("overlay", "overlay", "/", [$"lowerdir={root}/one/rootfs", "upperdir=/elsewhere/upper", "workdir=/elsewhere/work"]);
        MountSpec bind = new("bind", $"{root}/two/rootfs", "/", ["bind", "ro"]);
        MountSpec other = new("overlay", "overlay", "/", ["lowerdir=/var/lib/skiff/layers/x:/var/lib/skiff/layers/y"]);
        Assert.Equal(["one", "two"], copies.NamesUsedBy([overlay, bind, other]).Order());
    }

    private void Make(string name, params Digest[] chain)
    {
        string directory = Path.Combine(root, name);
        Directory.CreateDirectory(Path.Combine(directory, "rootfs"));
        File.WriteAllText(Path.Combine(directory, "rootfs", "file"), "content");
        File.WriteAllText(Path.Combine(directory, "key"), string.Join('\n', chain.Select(c => c.ToString())) + "\nuid 0:1000:1\ngid 0:1000:1");
        File.WriteAllText(Path.Combine(directory + ".lock"), string.Empty);
    }
}

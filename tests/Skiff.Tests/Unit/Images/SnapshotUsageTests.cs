using Skiff.Images.Snapshots;

namespace Skiff.Tests.Unit.Images;

/// <summary>podman's RwSize as containers/storage counts a diff directory (checked against podman 4.3 here:
/// a 1,500,000-byte file with a second hard link, a 3-byte file and a 4-byte symlink gave 1,500,007 plus /etc/mtab's 12).</summary>
public sealed class SnapshotUsageTests : IDisposable
{
    private readonly string snapshot = Directory.CreateTempSubdirectory("skiff-usage-").FullName;

    public void Dispose() => Directory.Delete(snapshot, recursive: true);

    [Fact]
    public void Counts_files_and_symlinks_once_and_no_directories()
    {
        string upper = Directory.CreateDirectory(Path.Combine(snapshot, "upper")).FullName;
        Directory.CreateDirectory(Path.Combine(snapshot, "work", "work"));
        File.WriteAllBytes(Path.Combine(snapshot, "work", "ignored"), new byte[999]);
        File.WriteAllBytes(Path.Combine(upper, "big"), new byte[1_500_000]);
        using (var ln = System.Diagnostics.Process.Start("ln", [Path.Combine(upper, "big"), Path.Combine(upper, "hard")]))
        {
            ln.WaitForExit();
            Assert.Equal(0, ln.ExitCode);
        }

        Directory.CreateDirectory(Path.Combine(upper, "d", "e"));
        File.WriteAllText(Path.Combine(upper, "d", "e", "f"), "hi\n");
        File.CreateSymbolicLink(Path.Combine(upper, "lnk"), "/big");

        Assert.Equal(1_500_000 + 3 + 4, SnapshotUsage.WritableBytes(snapshot));
    }

    [Fact]
    public void Symlinks_to_outside_are_not_followed()
    {
        string outside = Directory.CreateDirectory(Path.Combine(snapshot, "outside")).FullName;
        File.WriteAllBytes(Path.Combine(outside, "secret"), new byte[100_000]);
        string upper = Directory.CreateDirectory(Path.Combine(snapshot, "upper")).FullName;
        File.CreateSymbolicLink(Path.Combine(upper, "dir"), outside);
        File.CreateSymbolicLink(Path.Combine(upper, "file"), Path.Combine(outside, "secret"));
        File.CreateSymbolicLink(Path.Combine(upper, "up"), "..");

        Assert.Equal(outside.Length + Path.Combine(outside, "secret").Length + "..".Length, SnapshotUsage.WritableBytes(snapshot));
    }

    [Fact]
    public void A_copied_snapshot_counts_its_copy_and_none_counts_nothing()
    {
        Assert.Equal(0, SnapshotUsage.WritableBytes(Path.Combine(snapshot, "missing")));
        Assert.Equal(0, SnapshotUsage.WritableBytes(snapshot));
        Directory.CreateDirectory(Path.Combine(snapshot, "rootfs", "bin"));
        File.WriteAllBytes(Path.Combine(snapshot, "rootfs", "bin", "sh"), new byte[1234]);
        Assert.Equal(1234, SnapshotUsage.WritableBytes(snapshot));
    }

    [Fact]
    public void Nested_directories_are_walked()
    {
        string current = Path.Combine(snapshot, "upper", string.Join('/', Enumerable.Repeat("d", 600)));
        Directory.CreateDirectory(current);
        File.WriteAllBytes(Path.Combine(current, "leaf"), new byte[7]);
        File.WriteAllBytes(Path.Combine(snapshot, "upper", "top"), new byte[5]);
        Assert.Equal(12, SnapshotUsage.WritableBytes(snapshot));
    }
}

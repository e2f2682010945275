using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Lifecycle;

/// <summary>The two halves of an --rm removal: the record goes first (Unlist), the files after (Purge); leftovers are swept.</summary>
public sealed class ContainerStoreRemovalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("skiff-removal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ContainerStore NewStore() => new(Path.Combine(_dir, "root"), Path.Combine(_dir, "run"));

    private static ContainerConfig Config(char digit, string name) =>
        new() { Id = new string(digit, 64), Name = name, Created = DateTimeOffset.UnixEpoch, Image = "busybox", Runtime = "runc", AutoRemove = true };

    [Fact]
    public void Unlist_hides_the_container_and_frees_its_name_before_the_files_go()
    {
        ContainerStore store = NewStore();
        ContainerConfig first = store.Create(Config('a', "web"));
        Directory.CreateDirectory(store.SnapshotDirectory(first.Id));

        store.Unlist(first.Id);

        Assert.False(store.Exists(first.Id));
        Assert.Empty(store.ListIds());
        Assert.Null(store.TryResolve("web"));
        ContainerConfig second = store.Create(Config('b', "web"));
        Assert.Equal(second.Id, store.Resolve("web"));

        store.Purge(first.Id, cgroup: null);
        Assert.Empty(Directory.EnumerateDirectories(store.ContainersDirectory, ".removing-*"));
        Assert.False(Directory.Exists(store.SnapshotDirectory(first.Id)));
        Assert.True(store.Exists(second.Id));
    }

    [Fact]
    public void What_an_interrupted_removal_left_is_swept_by_the_next_one()
    {
        ContainerStore store = NewStore();
        ContainerConfig killed = store.Create(Config('a', "killed"));
        Directory.CreateDirectory(Path.Combine(store.SnapshotDirectory(killed.Id), "upper"));
        store.Unlist(killed.Id); // the monitor was killed here, before Purge
        ContainerConfig next = store.Create(Config('b', "next"));
        Directory.CreateDirectory(store.SnapshotDirectory(next.Id));

        store.Unlist(next.Id);
        store.Purge(next.Id, cgroup: null);

        Assert.Empty(Directory.EnumerateDirectories(store.ContainersDirectory, ".removing-*"));
        Assert.False(Directory.Exists(store.SnapshotDirectory(killed.Id)));
        Assert.False(Directory.Exists(store.SnapshotDirectory(next.Id)));
    }
}

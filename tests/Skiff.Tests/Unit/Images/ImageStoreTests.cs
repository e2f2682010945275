using Skiff.Core.Digests;
using Skiff.Images.Store;

namespace Skiff.Tests.Unit.Images;

public sealed class ImageStoreTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("skiff-images-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static ImageRecord Record(string seed, params string[] names) => new()
    {
        Id = Digest.Sha256Of(System.Text.Encoding.ASCII.GetBytes(seed)).Value,
        Names = names,
    };

    [Fact]
    public void Resolves_short_names_ids_and_prefixes()
    {
        var store = new ImageStore(root);
        ImageRecord alpine = Record("a", "docker.io/library/alpine:latest");
        ImageRecord busybox = Record("b", "localhost/busybox:1.36");
        store.Put(alpine);
        store.Put(busybox);

        Assert.Equal(alpine.Id, store.TryResolve("alpine")?.Id);
        Assert.Equal(alpine.Id, store.TryResolve("docker.io/library/alpine")?.Id);
        Assert.Equal(busybox.Id, store.TryResolve("busybox:1.36")?.Id);
        Assert.Null(store.TryResolve("busybox"));
        Assert.Equal(busybox.Id, store.TryResolve(busybox.Id[7..19])?.Id);
        Assert.Equal(alpine.Id, store.TryResolve(alpine.Id)?.Id);
    }

    [Theory]
    [InlineData("a", "b")]
    [InlineData("b", "a")]
    public void A_short_name_prefers_localhost_then_docker_io_over_other_registries(string localSeed, string otherSeed)
    {
        // Both seed orders, so the other registry's record is listed first in one of them.
        var store = new ImageStore(root);
        ImageRecord imported = Record(localSeed, "localhost/busybox:latest");
        ImageRecord pulled = Record(otherSeed, "127.0.0.1:5000/audit/busybox:latest");
        store.Put(imported);
        store.Put(pulled);
        Assert.Equal(imported.Id, store.TryResolve("busybox")?.Id);
        Assert.Equal(pulled.Id, store.TryResolve("127.0.0.1:5000/audit/busybox")?.Id);

        store.Remove(Digest.Parse(imported.Id));
        ImageRecord hub = Record(localSeed + "-hub", "docker.io/library/busybox:latest");
        store.Put(hub);
        Assert.Equal(hub.Id, store.TryResolve("busybox")?.Id);

        store.Remove(Digest.Parse(hub.Id));
        Assert.Equal(pulled.Id, store.TryResolve("busybox")?.Id);
    }

    [Fact]
    public void A_name_moves_to_the_newest_image()
    {
        var store = new ImageStore(root);
        store.Put(Record("old", "localhost/app:latest"));
        ImageRecord newer = Record("new", "localhost/app:latest");
        store.Put(newer);

        Assert.Equal(newer.Id, store.TryResolve("app")?.Id);
        Assert.Single(store.List(), r => r.Names.Count == 0);
    }
}

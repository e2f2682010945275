using System.IO.Compression;
using Skiff.Core.Digests;
using Skiff.Images.Manifests;
using Skiff.Images.Unpack;

namespace Skiff.Tests.Unit.Unpack;

/// <summary>Stores layer tarballs in a <see cref="LayerStore"/> the way the unpacker does, returning their chain ids bottom first.</summary>
public static class TestLayers
{
    public static IReadOnlyList<Digest> Store(LayerStore store, params LayerTar[] layers)
    {
        var diffIds = new List<Digest>();
        var blobs = new List<byte[]>();
        foreach (LayerTar layer in layers)
        {
            byte[] tar = layer.ToBytes();
            diffIds.Add(Digest.Sha256Of(tar));
            blobs.Add(Gzip(tar));
        }

        IReadOnlyList<Digest> chainIds = ChainIds.Compute(diffIds);
        for (int i = 0; i < chainIds.Count; i++)
        {
            byte[] blob = blobs[i];
            store.Ensure(chainIds[i], i == 0 ? null : chainIds[i - 1], diffIds[i], () => new MemoryStream(blob));
        }

        return chainIds;
    }

    public static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>A three-layer image with everything the compatibility checks look at.</summary>
    public static LayerTar[] SampleImage() =>
    [
        new LayerTar()
            .Dir("etc").File("etc/passwd", "root:x:0:0::/root:/bin/sh\n", xattrs: new() { ["user.note"] = "kept" }).File("etc/hosts", "127.0.0.1 localhost\n", xattrs: new() { ["user.note"] = "hosts" })
            .Dir("usr").Dir("usr/bin").File("usr/bin/tool", "#!/bin/sh\n", 0xDED).HardLink("usr/bin/tool2", "usr/bin/tool")
            .Symlink("bin", "usr/bin").Symlink("etc/abs", "/etc/passwd")
            .Dir("home").Dir("home/user", 0x1C0, 1000, 1000).File("home/user/file", "mine", 0x180, 1000, 1000)
            .Dir("opq").File("opq/a", "a").Dir("opq/sub").File("opq/sub/c", "c")
            .File("gone", "gone").Dir("gonedir").File("gonedir/x", "x")
            .Dir("tmp", 0x3FF).Fifo("tmp/fifo"),
        new LayerTar()
            .Whiteout("gone").Whiteout("gonedir")
            .Dir("opq", 0x1E8).Opaque("opq").File("opq/new", "new")
            .Dir("etc").File("etc/hosts", "127.0.0.1 localhost skiff\n")
            .Dir("home").Dir("home/user", 0x1C0, 1000, 1000).File("home/user/file2", "two", 0x1A4, 1000, 1001),
        new LayerTar()
            .Dir("usr").Dir("usr/bin").File("usr/bin/new", "n", 0x1ED).HardLink("usr/bin/new-link", "usr/bin/new")
            .Dir("etc").Whiteout("etc/abs").Symlink("etc/rel", "../usr/bin/new"),
    ];
}

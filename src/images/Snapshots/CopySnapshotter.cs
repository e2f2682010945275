using Skiff.Core.Digests;
using Skiff.Core.Mounts;
using Skiff.Images.Files;
using Skiff.Images.Unpack;

namespace Skiff.Images.Snapshots;

/// <summary>
/// The plain-copy fallback ("vfs"): materializes the layers, bottom first, into one directory
/// (<c>rootfs/</c> in the snapshot directory), applying whiteouts and opaque directories by deletion,
/// and bind-mounts it. Works everywhere; costs a full copy per snapshot.
/// </summary>
public sealed class CopySnapshotter(LayerStore layers) : ISnapshotter
{
    /// <summary>Owners written into the copy instead of the layers' (see <see cref="ApplyOptions.Owners"/>); null keeps them.</summary>
    public Core.IdMaps.IdMap? Owners { get; init; }

    private const string RootfsDirectory = "rootfs";

    public string Name => "vfs";

    public IReadOnlyList<MountSpec> PrepareWritable(IReadOnlyList<Digest> chainIds, string snapshotDirectory) =>
        [new MountSpec("bind", Materialize(chainIds, snapshotDirectory), "/", ["rbind", "rw"])];

    public IReadOnlyList<MountSpec> PrepareView(IReadOnlyList<Digest> chainIds, string snapshotDirectory) =>
        [new MountSpec("bind", Materialize(chainIds, snapshotDirectory), "/", ["bind", "ro"])];

    public void Remove(string snapshotDirectory)
    {
        if (!Directory.Exists(snapshotDirectory))
        {
            return;
        }

        using DirectoryHandle parent = DirectoryHandle.Open(Path.GetDirectoryName(snapshotDirectory)!);
        parent.RemoveTree(Path.GetFileName(snapshotDirectory));
    }

    /// <summary>Copies the layers into <c>rootfs/</c> (built as rootfs.tmp, renamed when complete; reused if present).</summary>
    private string Materialize(IReadOnlyList<Digest> chainIds, string snapshotDirectory)
    {
        string rootfs = Path.Combine(snapshotDirectory, RootfsDirectory);
        if (Directory.Exists(rootfs))
        {
            return rootfs;
        }

        using DirectoryHandle snapshot = DirectoryHandle.CreateAndOpen(snapshotDirectory);
        string temp = RootfsDirectory + ".tmp";
        snapshot.RemoveTree(temp);
        snapshot.MakeDirectory(temp, 0x1ED);
        using (DirectoryHandle target = snapshot.OpenChild(temp))
        {
            if (Owners is not null)
            {
                // The root directory is no layer entry: it belongs to the container's root like the image's.
                var owners = new ApplyOptions { Owners = Owners };
                target.Chown(string.Empty, owners.MapUid(0), owners.MapGid(0));
            }

            var applier = new LayerApplier();
            foreach (Digest chainId in chainIds)
            {
                LayerInfo info = layers.Get(chainId);
                using DirectoryHandle diff = DirectoryHandle.Open(layers.DiffPath(chainId));
                applier.Apply(
                    new DiffTreeSource(diff, new HashSet<string>(info.OpaqueDirectories, StringComparer.Ordinal)),
                    target,
                    new ApplyOptions { Whiteouts = WhiteoutStyle.Delete, MaxEntries = long.MaxValue, Owners = Owners });
            }
        }

        snapshot.Rename(temp, snapshot, RootfsDirectory);
        return rootfs;
    }
}

using Skiff.Core.Digests;
using Skiff.Core.Mounts;

namespace Skiff.Images.Snapshots;

/// <summary>
/// Turns a stack of unpacked layers into a root filesystem (model: containerd's snapshotter).
/// <paramref name="chainIds"/> are the image's layers bottom first, all present in the layer store.
/// A snapshot directory belongs to the caller (a container's directory, or an image mount's); the
/// snapshotter keeps its writable state (upper/work or a copied tree) there and nothing else.
/// The returned mounts have destination "/" and are applied in order by <see cref="SnapshotMounter"/>
/// or by the runtime; <see cref="Remove"/> is called after they are unmounted.
/// </summary>
public interface ISnapshotter
{
    /// <summary>"overlay", "fuse-overlayfs" or "vfs", as podman names its storage drivers.</summary>
    string Name { get; }

    /// <summary>A writable root whose changes live in <paramref name="snapshotDirectory"/>.</summary>
    IReadOnlyList<MountSpec> PrepareWritable(IReadOnlyList<Digest> chainIds, string snapshotDirectory);

    /// <summary>A read-only view of the layers.</summary>
    IReadOnlyList<MountSpec> PrepareView(IReadOnlyList<Digest> chainIds, string snapshotDirectory);

    /// <summary>Deletes what Prepare* created in <paramref name="snapshotDirectory"/> (unmounted before).</summary>
    void Remove(string snapshotDirectory);
}

using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Core.Mounts;
using Skiff.Images.Files;
using Skiff.Images.Unpack;

namespace Skiff.Images.Snapshots;

/// <summary>
/// overlayfs: the layers' diff directories are the lower dirs (topmost first), upper/ and work/ live in
/// the snapshot directory. Inside a user namespace the mount needs <c>userxattr</c>, which also makes the
/// kernel read whiteout/opaque markers from user.overlay.* (what the layer store writes rootless).
/// With <paramref name="fuse"/> the same layout is mounted by fuse-overlayfs instead of the kernel.
/// </summary>
public sealed class OverlaySnapshotter(LayerStore layers, bool fuse) : ISnapshotter
{
    /// <summary>The kernel takes at most one page of mount options.</summary>
    private const int MaxOptionsLength = 4000;

    public string Name => fuse ? "fuse-overlayfs" : "overlay";

    public IReadOnlyList<MountSpec> PrepareWritable(IReadOnlyList<Digest> chainIds, string snapshotDirectory)
    {
        string upper = Path.Combine(snapshotDirectory, "upper");
        string work = Path.Combine(snapshotDirectory, "work");
        Directory.CreateDirectory(upper);
        Directory.CreateDirectory(work);
        var options = new List<string> { "lowerdir=" + LowerDirs(chainIds), "upperdir=" + upper, "workdir=" + work };
        AddStyleOptions(options);
        return [Build(options)];
    }

    public IReadOnlyList<MountSpec> PrepareView(IReadOnlyList<Digest> chainIds, string snapshotDirectory)
    {
        Directory.CreateDirectory(snapshotDirectory);
        if (chainIds.Count == 1 && !fuse)
        {
            // overlayfs wants two lower dirs when there is no upper dir; one layer is just a read-only bind.
            return [new MountSpec("bind", layers.DiffPath(chainIds[0]), "/", ["bind", "ro"])];
        }

        var options = new List<string> { "lowerdir=" + LowerDirs(chainIds) };
        AddStyleOptions(options);
        options.Add("ro");
        return [Build(options)];
    }

    public void Remove(string snapshotDirectory)
    {
        if (!Directory.Exists(snapshotDirectory))
        {
            return;
        }

        using DirectoryHandle parent = DirectoryHandle.Open(Path.GetDirectoryName(snapshotDirectory)!);
        parent.RemoveTree(Path.GetFileName(snapshotDirectory));
    }

    private MountSpec Build(List<string> options)
    {
        int length = options.Sum(o => o.Length + 1);
        if (length > MaxOptionsLength)
        {
            throw SkiffException.Unavailable(
                $"the image has too many layers for an overlay mount ({length} bytes of mount options)",
                "use --storage-driver vfs for this image");
        }

        return fuse
            ? new MountSpec("fuse.fuse-overlayfs", "fuse-overlayfs", "/", options)
            : new MountSpec("overlay", "overlay", "/", options);
    }

    private void AddStyleOptions(List<string> options)
    {
        if (layers.Whiteouts == WhiteoutStyle.OverlayUser && !fuse)
        {
            options.Add("userxattr");
        }
    }

    private string LowerDirs(IReadOnlyList<Digest> chainIds)
    {
        if (chainIds.Count == 0)
        {
            throw SkiffException.InvalidArgument("an image without layers has no root filesystem");
        }

        var lowers = new List<string>();
        for (int i = chainIds.Count - 1; i >= 0; i--)
        {
            layers.Get(chainIds[i]);
            lowers.Add(layers.DiffPath(chainIds[i]));
        }

        return string.Join(':', lowers);
    }
}

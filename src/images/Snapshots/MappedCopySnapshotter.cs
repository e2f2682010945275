using System.Security.Cryptography;
using System.Text;
using Skiff.Core.Digests;
using Skiff.Core.Files;
using Skiff.Core.IdMaps;
using Skiff.Core.Mounts;
using Skiff.Images.Files;
using Skiff.Images.Unpack;

namespace Skiff.Images.Snapshots;

/// <summary>
/// Rootless containers whose user namespace differs from the one the layers were unpacked for (keep-id,
/// nomap, --uidmap): idmapped mounts need privileges over the host filesystem, so, as podman does, the
/// image is copied once per id map with its owners written through the map (a flattened copy under
/// <paramref name="cacheRoot"/>, shared by every container with the same image and map), and each
/// container gets its own overlay upper directory on top of it.
/// </summary>
public sealed class MappedCopySnapshotter(LayerStore layers, string cacheRoot, IdMap owners, bool userXattr) : ISnapshotter
{
    public string Name => "overlay";

    public IReadOnlyList<MountSpec> PrepareWritable(IReadOnlyList<Digest> chainIds, string snapshotDirectory)
    {
        string lower = Copy(chainIds);
        string upper = Path.Combine(snapshotDirectory, "upper");
        string work = Path.Combine(snapshotDirectory, "work");
        Directory.CreateDirectory(upper);
        Directory.CreateDirectory(work);

        // The merged root takes the upper directory's owner: the container's root, as in the copy.
        var mapped = new ApplyOptions { Owners = owners };
        using (DirectoryHandle handle = DirectoryHandle.Open(upper))
        {
            handle.Chown(string.Empty, mapped.MapUid(0), mapped.MapGid(0));
        }

        var options = new List<string> { "lowerdir=" + lower, "upperdir=" + upper, "workdir=" + work };
        if (userXattr)
        {
            options.Add("userxattr");
        }

        return [new MountSpec("overlay", "overlay", "/", options)];
    }

    public IReadOnlyList<MountSpec> PrepareView(IReadOnlyList<Digest> chainIds, string snapshotDirectory) =>
        [new MountSpec("bind", Copy(chainIds), "/", ["bind", "ro"])];

    public void Remove(string snapshotDirectory)
    {
        if (!Directory.Exists(snapshotDirectory))
        {
            return;
        }

        using DirectoryHandle parent = DirectoryHandle.Open(Path.GetDirectoryName(snapshotDirectory)!);
        parent.RemoveTree(Path.GetFileName(snapshotDirectory));
    }

    /// <summary>The shared copy for these layers and this map, made under a lock by the first container that needs it.</summary>
    private string Copy(IReadOnlyList<Digest> chainIds)
    {
        var key = new StringBuilder();
        foreach (Digest chainId in chainIds)
        {
            key.Append(chainId).Append('\n');
        }

        key.Append("uid ").AppendJoin(' ', owners.Uids.Select(m => m.ToString())).Append("\ngid ").AppendJoin(' ', owners.Gids.Select(m => m.ToString()));
        string name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())));
        string directory = Path.Combine(cacheRoot, name);
        Directory.CreateDirectory(cacheRoot);
        using FileLock held = FileLock.Acquire(directory + ".lock");
        MountSpec view = new CopySnapshotter(layers) { Owners = owners }.PrepareView(chainIds, directory)[0];
        File.WriteAllText(Path.Combine(directory, "key"), key.ToString(), Encoding.UTF8);
        return view.Source;
    }
}

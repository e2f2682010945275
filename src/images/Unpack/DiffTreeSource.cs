using Microsoft.Win32.SafeHandles;
using Skiff.Images.Files;

namespace Skiff.Images.Unpack;

/// <summary>
/// Reads a stored overlay-style layer directory back as layer entries: a 0:0 character device is a
/// whiteout, the directories listed in <paramref name="opaqueDirectories"/> are opaque (the layer
/// metadata records them, so no overlay xattr has to be readable), and files sharing an inode become
/// hard links. Used to materialize layers into one tree for the plain-copy snapshotter, and (with
/// <paramref name="opaqueFromXattrs"/>, for a container's writable layer, whose opaque directories only the kernel's
/// <c>trusted.overlay.opaque</c> or rootless <c>user.overlay.opaque</c> records) to read the layer <c>commit</c> writes.
/// </summary>
public sealed class DiffTreeSource(DirectoryHandle diff, IReadOnlySet<string> opaqueDirectories, bool opaqueFromXattrs = false) : ILayerEntrySource
{
    private static readonly string[] OpaqueXattrs = ["trusted.overlay.opaque", "user.overlay.opaque"];

    private (uint Major, uint Minor)? _device;

    /// <summary>
    /// Stay on the top directory's filesystem (as <c>cp -x</c>): a directory another filesystem is mounted on is listed,
    /// empty, and not entered. For a container's tree, whose mounts (/proc, /sys) hold files whose reads never end.
    /// </summary>
    public bool OneFileSystem { get; init; }

    public IEnumerable<LayerEntry> Entries(ICollection<string> warnings)
    {
        var inodes = new Dictionary<ulong, string>();
        FileStatus top = diff.TryStat(string.Empty) ?? throw new InvalidOperationException("layer directory vanished");
        _device = OneFileSystem ? (top.DeviceMajor, top.DeviceMinor) : null;
        yield return Directory(string.Empty, top, Xattrs(diff, string.Empty));
        if (opaqueDirectories.Contains(string.Empty))
        {
            yield return new LayerEntry { Path = string.Empty, Kind = LayerEntryKind.Opaque };
        }

        foreach (LayerEntry entry in Walk(diff, string.Empty, inodes))
        {
            yield return entry;
        }
    }

    private IEnumerable<LayerEntry> Walk(DirectoryHandle directory, string path, Dictionary<ulong, string> inodes)
    {
        List<DirectoryEntry> children = directory.List();
        children.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (DirectoryEntry child in children)
        {
            string childPath = path.Length == 0 ? child.Name : path + "/" + child.Name;
            if (directory.TryStat(child.Name) is not { } status)
            {
                continue;
            }

            switch (status.Kind)
            {
                case FileKind.Directory:
                    IReadOnlyDictionary<string, byte[]> raw = directory.ReadXattrs(child.Name);
                    yield return Directory(childPath, status, Kept(raw));
                    if (opaqueDirectories.Contains(childPath) || (opaqueFromXattrs && OpaqueXattrs.Any(k => raw.TryGetValue(k, out byte[]? v) && v is [(byte)'y'])))
                    {
                        yield return new LayerEntry { Path = childPath, Kind = LayerEntryKind.Opaque };
                    }

                    if (_device is { } device && (status.DeviceMajor, status.DeviceMinor) != device)
                    {
                        break;
                    }

                    using (DirectoryHandle sub = directory.OpenChild(child.Name))
                    {
                        foreach (LayerEntry entry in Walk(sub, childPath, inodes))
                        {
                            yield return entry;
                        }
                    }

                    break;
                case FileKind.CharDevice when status.IsOverlayWhiteout:
                    yield return new LayerEntry { Path = childPath, Kind = LayerEntryKind.Whiteout };
                    break;
                case FileKind.Regular:
                    if (status.Links > 1)
                    {
                        if (inodes.TryGetValue(status.Inode, out string? first))
                        {
                            yield return new LayerEntry { Path = childPath, Kind = LayerEntryKind.HardLink, LinkTarget = first };
                            break;
                        }

                        inodes[status.Inode] = childPath;
                    }

                    using (SafeFileHandle file = directory.OpenFileForRead(child.Name))
                    using (var data = new FileStream(file, FileAccess.Read, bufferSize: 0))
                    {
                        yield return Node(childPath, LayerEntryKind.File, status, Xattrs(directory, child.Name)) with { Data = data, DataFile = file };
                    }

                    break;
                case FileKind.Symlink:
                    yield return Node(childPath, LayerEntryKind.Symlink, status, Xattrs(directory, child.Name), directory.ReadLink(child.Name));
                    break;
                case FileKind.CharDevice or FileKind.BlockDevice or FileKind.Fifo:
                    yield return Node(
                        childPath,
                        LayerEntry.SpecialKind(status.Kind),
                        status,
                        Xattrs(directory, child.Name));
                    break;
            }
        }
    }

    /// <summary>overlayfs's own attributes stay behind: in a full tree they would mean nothing, or something wrong.</summary>
    private static IReadOnlyList<KeyValuePair<string, byte[]>> Xattrs(DirectoryHandle directory, string name) => Kept(directory.ReadXattrs(name));

    private static IReadOnlyList<KeyValuePair<string, byte[]>> Kept(IReadOnlyDictionary<string, byte[]> xattrs) =>
        [.. xattrs.Where(x => !x.Key.StartsWith("trusted.overlay.", StringComparison.Ordinal) && !x.Key.StartsWith("user.overlay.", StringComparison.Ordinal))];

    private static LayerEntry Directory(string path, FileStatus status, IReadOnlyList<KeyValuePair<string, byte[]>> xattrs) =>
        Node(path, LayerEntryKind.Directory, status, xattrs);

    private static LayerEntry Node(string path, LayerEntryKind kind, FileStatus status, IReadOnlyList<KeyValuePair<string, byte[]>> xattrs, string? link = null) =>
        LayerEntry.FromStatus(path, kind, status) with { LinkTarget = link, Xattrs = xattrs };
}

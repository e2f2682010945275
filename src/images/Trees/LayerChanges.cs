using Skiff.Images.Files;

namespace Skiff.Images.Trees;

/// <summary>
/// The changes an overlay upper directory (a container's writable layer, or an unpacked layer) makes to the
/// layers below it, as containers/storage reports them for podman diff: a whiteout (a 0:0 character device) or an
/// opaque directory (<c>trusted.overlay.opaque</c>, or rootless <c>user.overlay.opaque</c>, set to <c>y</c>) is a
/// deletion; anything else is a change when some lower layer has the path and an addition when none has; a
/// directory whose size, mode and modification time equal the lower one's is not reported; the parent of an
/// addition or deletion is reported as changed once. Depth-first with the names of each directory in byte order.
/// The trees are untrusted: every directory is opened below its parent without following symlinks.
/// </summary>
public static class LayerChanges
{
    private static readonly string[] OpaqueXattrs = ["trusted.overlay.opaque", "user.overlay.opaque"];

    /// <param name="upper">The tree whose changes to list.</param>
    /// <param name="lowers">The layers below it, topmost first.</param>
    public static IReadOnlyList<TreeChange> Compute(DirectoryHandle upper, IReadOnlyList<DirectoryHandle> lowers)
    {
        var changes = new List<TreeChange>();
        Walk(upper, string.Empty, [.. lowers], changes, new HashSet<string>(StringComparer.Ordinal), owned: false);
        return changes;
    }

    private static void Walk(DirectoryHandle directory, string path, DirectoryHandle?[] lowers, List<TreeChange> changes, HashSet<string> changedDirectories, bool owned)
    {
        try
        {
            List<DirectoryEntry> children = directory.List();
            children.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            foreach (DirectoryEntry child in children)
            {
                if (directory.TryStat(child.Name) is not { } status)
                {
                    continue;
                }

                string childPath = path + "/" + child.Name;
                bool isDirectory = status.Kind == FileKind.Directory;
                ChangeKind? kind = status.IsOverlayWhiteout || (isDirectory && IsOpaque(directory, child.Name))
                    ? ChangeKind.Deleted
                    : Compare(status, child.Name, lowers);
                if (kind is { } found)
                {
                    changes.Add(new TreeChange(childPath, found));
                    if (isDirectory)
                    {
                        changedDirectories.Add(childPath);
                    }

                    // The parent's own entry may have looked unchanged (same size, mode and time); an entry added
                    // or removed in it still changes it (moby/moby#13590).
                    if (found != ChangeKind.Modified && path.Length > 0 && changedDirectories.Add(path))
                    {
                        changes.Add(new TreeChange(path, ChangeKind.Modified));
                    }
                }

                if (isDirectory)
                {
                    var below = new DirectoryHandle?[lowers.Length];
                    for (int i = 0; i < lowers.Length; i++)
                    {
                        below[i] = lowers[i]?.TryStat(child.Name) is { Kind: FileKind.Directory } ? lowers[i]!.OpenChild(child.Name) : null;
                    }

                    Walk(directory.OpenChild(child.Name), childPath, below, changes, changedDirectories, owned: true);
                }
            }
        }
        finally
        {
            if (owned)
            {
                directory.Dispose();
                foreach (DirectoryHandle? lower in lowers)
                {
                    lower?.Dispose();
                }
            }
        }
    }

    /// <summary>Added when no lower layer has the name; changed when one has, unless both are equal-looking directories.</summary>
    private static ChangeKind? Compare(FileStatus status, string name, DirectoryHandle?[] lowers)
    {
        foreach (DirectoryHandle? lower in lowers)
        {
            if (lower?.TryStat(name) is not { } below)
            {
                continue;
            }

            bool sameDirectory = status.Kind == FileKind.Directory && below.Kind == FileKind.Directory
                && status.Size == below.Size && status.Mode == below.Mode && SameTime(status, below);
            return sameDirectory ? null : ChangeKind.Modified;
        }

        return ChangeKind.Added;
    }

    /// <summary>Equal, or equal seconds where one side has no nanoseconds (a tar-unpacked tree keeps only seconds).</summary>
    private static bool SameTime(FileStatus a, FileStatus b) =>
        a.MtimeSeconds == b.MtimeSeconds && (a.MtimeNanoseconds == b.MtimeNanoseconds || a.MtimeNanoseconds == 0 || b.MtimeNanoseconds == 0);

    private static bool IsOpaque(DirectoryHandle directory, string name)
    {
        IReadOnlyDictionary<string, byte[]> xattrs = directory.ReadXattrs(name);
        foreach (string key in OpaqueXattrs)
        {
            if (xattrs.TryGetValue(key, out byte[]? value) && value is [(byte)'y'])
            {
                return true;
            }
        }

        return false;
    }
}

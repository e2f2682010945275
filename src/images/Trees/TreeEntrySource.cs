using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Images.Files;
using Skiff.Images.Unpack;

namespace Skiff.Images.Trees;

/// <summary>
/// Reads a tree that may be changing under us (a running container's root) as layer entries, for
/// <c>cp</c> and <c>export</c>. The walk starts from an already resolved directory handle and goes down one
/// component at a time with <c>O_NOFOLLOW</c>, so a directory that is swapped for a symlink mid-walk
/// fails to open (and is skipped with a warning) instead of leading anywhere else. Files sharing an
/// inode become hard links; paths under <paramref name="excluded"/> (mount points, relative to the
/// walk's top) are listed as empty directories but not entered.
/// </summary>
/// <param name="parent">The directory holding the item to read.</param>
/// <param name="leaf">The item's name in <paramref name="parent"/>, or null to read <paramref name="parent"/> itself.</param>
/// <param name="name">The entries' path prefix: the item is emitted as <paramref name="name"/> ("" for the top of the tree).</param>
public sealed class TreeEntrySource(DirectoryHandle parent, string? leaf, string name, IReadOnlySet<string>? excluded = null) : ILayerEntrySource
{
    private readonly IReadOnlySet<string> excludedPaths = excluded ?? new HashSet<string>();

    public IEnumerable<LayerEntry> Entries(ICollection<string> warnings)
    {
        var inodes = new Dictionary<(uint, uint, ulong), string>();
        if (leaf is null)
        {
            // Without a name the entries go into an existing directory (cp DIR/., export): its own metadata stays as it is.
            FileStatus top = parent.TryStat(string.Empty) ?? throw SkiffException.NotFound($"{parent.DisplayPath} vanished");
            if (name.Length > 0)
            {
                yield return Node(name, LayerEntryKind.Directory, top);
            }

            foreach (LayerEntry entry in Walk(parent, name, string.Empty, inodes, warnings))
            {
                yield return entry;
            }

            yield break;
        }

        foreach (LayerEntry entry in Item(parent, leaf, name, string.Empty, inodes, warnings))
        {
            yield return entry;
        }
    }

    private IEnumerable<LayerEntry> Walk(DirectoryHandle directory, string path, string relative, Dictionary<(uint, uint, ulong), string> inodes, ICollection<string> warnings)
    {
        List<DirectoryEntry> children;
        try
        {
            children = directory.List();
        }
        catch (SystemCallException e)
        {
            warnings.Add($"skipped the contents of {Display(path)}: {e.Message}");
            yield break;
        }

        children.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (DirectoryEntry child in children)
        {
            string childPath = path.Length == 0 ? child.Name : path + "/" + child.Name;
            string childRelative = relative.Length == 0 ? child.Name : relative + "/" + child.Name;
            foreach (LayerEntry entry in Item(directory, child.Name, childPath, childRelative, inodes, warnings))
            {
                yield return entry;
            }
        }
    }

    private IEnumerable<LayerEntry> Item(DirectoryHandle directory, string childName, string path, string relative, Dictionary<(uint, uint, ulong), string> inodes, ICollection<string> warnings)
    {
        FileStatus? maybe;
        try
        {
            maybe = directory.TryStat(childName);
        }
        catch (SystemCallException e)
        {
            warnings.Add($"skipped {Display(path)}: {e.Message}");
            yield break;
        }

        if (maybe is not FileStatus status)
        {
            yield break;
        }

        bool isExcluded = relative.Length > 0 && excludedPaths.Contains(relative);
        switch (status.Kind)
        {
            case FileKind.Directory:
                yield return Node(path, LayerEntryKind.Directory, status);
                if (isExcluded)
                {
                    yield break;
                }

                DirectoryHandle? sub = null;
                try
                {
                    sub = directory.OpenChild(childName);
                }
                catch (SystemCallException e)
                {
                    // Replaced by a symlink (or removed) since the stat: O_NOFOLLOW refused it.
                    warnings.Add($"skipped the contents of {Display(path)}: {e.Message}");
                }

                if (sub is null)
                {
                    yield break;
                }

                using (sub)
                {
                    foreach (LayerEntry entry in Walk(sub, path, relative, inodes, warnings))
                    {
                        yield return entry;
                    }
                }

                break;
            case FileKind.Regular when !isExcluded:
                if (status.Links > 1)
                {
                    if (inodes.TryGetValue((status.DeviceMajor, status.DeviceMinor, status.Inode), out string? first))
                    {
                        yield return new LayerEntry { Path = path, Kind = LayerEntryKind.HardLink, LinkTarget = first };
                        break;
                    }

                    inodes[(status.DeviceMajor, status.DeviceMinor, status.Inode)] = path;
                }

                SafeFileHandle? file = null;
                try
                {
                    file = directory.OpenFileForRead(childName);
                }
                catch (SystemCallException e)
                {
                    warnings.Add($"skipped {Display(path)}: {e.Message}");
                }

                if (file is null)
                {
                    break;
                }

                using (file)
                using (var data = new ExactLengthStream(new FileStream(file, FileAccess.Read, bufferSize: 0), status.Size))
                {
                    yield return Node(path, LayerEntryKind.File, status) with { Data = data };
                }

                break;
            case FileKind.Symlink when !isExcluded:
                string? target = null;
                try
                {
                    target = directory.ReadLink(childName);
                }
                catch (SystemCallException e)
                {
                    warnings.Add($"skipped {Display(path)}: {e.Message}");
                }

                if (target is not null)
                {
                    yield return Node(path, LayerEntryKind.Symlink, status) with { LinkTarget = target };
                }

                break;
            case FileKind.CharDevice or FileKind.BlockDevice or FileKind.Fifo when !isExcluded:
                yield return Node(path, LayerEntry.SpecialKind(status.Kind), status);
                break;
        }
    }

    private static string Display(string path) => "/" + path;

    private static LayerEntry Node(string path, LayerEntryKind kind, FileStatus status) => LayerEntry.FromStatus(path, kind, status);
}

using System.Buffers;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Images.Files;

namespace Skiff.Images.Unpack;

/// <summary>
/// Writes the entries of one layer onto a directory. Every parent is resolved with
/// <c>openat2(RESOLVE_IN_ROOT)</c> from the root handle, so "..", absolute symlinks and symlinked parents
/// stay inside it; every leaf is created, changed or removed with a <c>*at</c> call that does not follow it.
/// An existing non-directory is replaced; an existing directory is kept when the entry is a directory.
/// Directory times are set last, deepest first, so writing their contents does not change them.
/// </summary>
public sealed class LayerApplier
{
    private const int CopyBufferSize = 1 << 20;

    public ApplyResult Apply(ILayerEntrySource source, DirectoryHandle root, ApplyOptions options)
    {
        var run = new Run(root, options);
        using var release = new ParentRelease(run);
        foreach (LayerEntry entry in source.Entries(run.Warnings))
        {
            run.Entries++;
            if (run.Entries > options.MaxEntries)
            {
                throw SkiffException.InvalidArgument($"layer has more than {options.MaxEntries} entries");
            }

            run.Apply(entry);
        }

        run.FinishDirectoryTimes();
        run.ReleaseParents();
        return new ApplyResult(run.Entries, run.ContentBytes, run.Whiteouts, run.Opaques, run.Warnings.ToList());
    }

    /// <summary>Closes the cached parent directories however the run ends.</summary>
    private sealed class ParentRelease(Run run) : IDisposable
    {
        public void Dispose() => run.ReleaseParents();
    }

    private sealed class Run(DirectoryHandle root, ApplyOptions options)
    {
        /// <summary>Bound on cached parent directory handles (tar order keeps a directory's entries together).</summary>
        private const int MaxCachedParents = 64;

        private readonly HashSet<string> _written = new(StringComparer.Ordinal);

        /// <summary>
        /// Parent directories resolved since the last removal. Creating names never changes what an
        /// existing path resolves to; removing (or replacing) one can, so every removal clears the cache
        /// before the next entry (<see cref="Invalidate"/>).
        /// </summary>
        private readonly Dictionary<string, DirectoryHandle> _parents = new(StringComparer.Ordinal);
        private bool _parentsStale;
        private readonly List<LayerEntry> _directories = [];
        private byte[]? _buffer;

        public List<string> Warnings { get; } = [];

        public List<string> Whiteouts { get; } = [];

        public List<string> Opaques { get; } = [];

        public long Entries { get; set; }

        public long ContentBytes { get; private set; }

        private bool Overlay => options.Whiteouts != WhiteoutStyle.Delete;

        public void Apply(LayerEntry entry)
        {
            switch (entry.Kind)
            {
                case LayerEntryKind.Whiteout:
                    ApplyWhiteout(entry.Path);
                    return;
                case LayerEntryKind.Opaque:
                    ApplyOpaque(entry.Path);
                    return;
            }

            (string parentPath, string? leaf) = TreePath.Split(entry.Path);
            if (leaf is null)
            {
                if (entry.Kind != LayerEntryKind.Directory)
                {
                    throw SkiffException.InvalidArgument($"layer entry '{entry.Path}' would replace the root directory with a {entry.Kind.ToString().ToLowerInvariant()}");
                }

                ApplyDirectoryMetadata(root, entry);
                _directories.Add(entry);
                return;
            }

            DirectoryHandle parent = Parent(parentPath);
            if (!options.ReplaceKinds)
            {
                CheckKind(parent, leaf, entry);
            }

            MarkWritten(entry.Path);

            // The common kinds try to create first and look at what is there only when the name exists:
            // a fresh layer directory is empty, so that saves a stat per entry.
            if (entry.Kind == LayerEntryKind.Directory)
            {
                if (!parent.TryMakeDirectory(leaf, 0x1C0) && parent.TryStat(leaf) is not { Kind: FileKind.Directory })
                {
                    Remove(parent, leaf);
                    parent.MakeDirectory(leaf, 0x1C0);
                }

                using DirectoryHandle directory = parent.OpenChild(leaf);
                ApplyDirectoryMetadata(directory, entry);
                _directories.Add(entry);
                return;
            }

            if (entry.Kind is not (LayerEntryKind.File or LayerEntryKind.Symlink) && parent.TryStat(leaf) is not null)
            {
                Remove(parent, leaf);
            }

            switch (entry.Kind)
            {
                case LayerEntryKind.File:
                    WriteFile(parent, leaf, entry);
                    break;
                case LayerEntryKind.Symlink:
                    if (!parent.TrySymlink(leaf, entry.LinkTarget!))
                    {
                        Remove(parent, leaf);
                        parent.Symlink(leaf, entry.LinkTarget!);
                    }

                    ApplyOwner(parent, leaf, entry);
                    ApplyXattrs(parent, leaf, entry);
                    parent.SetTimes(leaf, entry.MtimeSeconds, entry.MtimeNanoseconds);
                    break;
                case LayerEntryKind.HardLink:
                    Link(parent, leaf, entry);
                    break;
                case LayerEntryKind.CharDevice or LayerEntryKind.BlockDevice or LayerEntryKind.Fifo:
                    FileKind kind = entry.Kind switch
                    {
                        LayerEntryKind.CharDevice => FileKind.CharDevice,
                        LayerEntryKind.BlockDevice => FileKind.BlockDevice,
                        _ => FileKind.Fifo,
                    };
                    if (parent.TryMakeNode(leaf, kind, 0x180, entry.DeviceMajor, entry.DeviceMinor) != 0)
                    {
                        // Rootless, mknod of a real device is forbidden inside the user namespace; podman
                        // skips such entries the same way (containers normally get /dev from the runtime).
                        Warnings.Add($"skipped device {entry.Path} ({entry.DeviceMajor}:{entry.DeviceMinor}): creating devices is not permitted here");
                        _written.Remove(entry.Path);
                        return;
                    }

                    ApplyOwner(parent, leaf, entry);
                    parent.Chmod(leaf, entry.Mode);
                    ApplyXattrs(parent, leaf, entry);
                    parent.SetTimes(leaf, entry.MtimeSeconds, entry.MtimeNanoseconds);
                    break;
            }
        }

        /// <summary>Closes every cached parent directory handle.</summary>
        public void ReleaseParents()
        {
            foreach (DirectoryHandle handle in _parents.Values)
            {
                handle.Dispose();
            }

            _parents.Clear();
            _parentsStale = false;
        }

        /// <summary>The directory at <paramref name="path"/> (created if missing); owned by the cache, valid until the next entry.</summary>
        private DirectoryHandle Parent(string path)
        {
            if (_parentsStale || _parents.Count >= MaxCachedParents)
            {
                ReleaseParents();
            }

            if (!_parents.TryGetValue(path, out DirectoryHandle? handle))
            {
                handle = EnsureDirectory(path);
                _parents[path] = handle;
            }

            return handle;
        }

        /// <summary>Refuses an entry that would replace a directory with a non-directory or the reverse.</summary>
        private static void CheckKind(DirectoryHandle parent, string leaf, LayerEntry entry)
        {
            if (parent.TryStat(leaf) is not { } existing || (existing.Kind == FileKind.Directory) == (entry.Kind == LayerEntryKind.Directory))
            {
                return;
            }

            throw SkiffException.Conflict(existing.Kind == FileKind.Directory
                ? $"cannot overwrite directory \"{entry.Path}\" with non-directory"
                : $"cannot overwrite non-directory \"{entry.Path}\" with directory");
        }

        /// <summary>A removal can change what a cached path resolves to: drop the cache before the next entry.</summary>
        private void Invalidate() => _parentsStale = true;

        private void Remove(DirectoryHandle parent, string leaf)
        {
            Invalidate();
            parent.RemoveTree(leaf);
        }

        public void FinishDirectoryTimes()
        {
            foreach (LayerEntry entry in _directories.OrderByDescending(d => d.Path.Count(c => c == '/') + (d.Path.Length == 0 ? 0 : 1)))
            {
                using DirectoryHandle? directory = root.TryOpenInRoot(entry.Path);
                directory?.SetTimes(string.Empty, entry.MtimeSeconds, entry.MtimeNanoseconds);
            }
        }

        private void WriteFile(DirectoryHandle parent, string leaf, LayerEntry entry)
        {
            string display = entry.Path;
            SafeFileHandle? created = parent.TryCreateFile(leaf);
            if (created is null)
            {
                Remove(parent, leaf);
                created = parent.CreateFile(leaf);
            }

            using (SafeFileHandle file = created)
            {
                long written = 0;
                if (entry.DataFile is not null && OpenFile.TryCopyRange(entry.DataFile, file, entry.Size))
                {
                    written = entry.Size;
                }
                else if (entry.Data is not null)
                {
                    _buffer ??= ArrayPool<byte>.Shared.Rent(CopyBufferSize);
                    int read;

                    // Fill the buffer before each write: one write(2) per file for all but large files.
                    while ((read = entry.Data.ReadAtLeast(_buffer, _buffer.Length, throwOnEndOfStream: false)) > 0)
                    {
                        OpenFile.WriteAll(file, _buffer.AsSpan(0, read), display);
                        written += read;
                    }
                }

                ContentBytes += written;
                if (options.PreserveOwners)
                {
                    OpenFile.Chown(file, options.MapUid(entry.Uid), options.MapGid(entry.Gid), display);
                }

                // chown clears setuid/setgid and security.capability, so mode and xattrs come after it.
                OpenFile.Chmod(file, entry.Mode, display);
                foreach ((string key, byte[] value) in entry.Xattrs)
                {
                    if (Allowed(key, entry.Path) && OpenFile.TrySetXattr(file, key, value, display) != 0)
                    {
                        Warnings.Add($"skipped extended attribute {key} of {entry.Path}: not permitted here");
                    }
                }

                OpenFile.SetTimes(file, entry.MtimeSeconds, entry.MtimeNanoseconds, display);
            }
        }

        private void Link(DirectoryHandle parent, string leaf, LayerEntry entry)
        {
            (string sourceParent, string? sourceLeaf) = TreePath.Split(entry.LinkTarget!);
            using DirectoryHandle? sourceDirectory = root.TryOpenInRoot(sourceParent);
            if (sourceLeaf is null || sourceDirectory?.TryStat(sourceLeaf) is not { } status)
            {
                throw SkiffException.InvalidArgument($"layer hard link {entry.Path} points at {entry.LinkTarget}, which is not in the layer");
            }

            if (status.Kind == FileKind.Directory)
            {
                throw SkiffException.InvalidArgument($"layer hard link {entry.Path} points at the directory {entry.LinkTarget}");
            }

            parent.Link(leaf, sourceDirectory, sourceLeaf);
        }

        private void ApplyDirectoryMetadata(DirectoryHandle directory, LayerEntry entry)
        {
            if (options.PreserveOwners)
            {
                directory.Chown(string.Empty, options.MapUid(entry.Uid), options.MapGid(entry.Gid));
            }

            directory.Chmod(string.Empty, entry.Mode);
            ApplyXattrs(directory, string.Empty, entry);
        }

        private void ApplyOwner(DirectoryHandle parent, string leaf, LayerEntry entry)
        {
            if (options.PreserveOwners)
            {
                parent.Chown(leaf, options.MapUid(entry.Uid), options.MapGid(entry.Gid));
            }
        }

        private void ApplyXattrs(DirectoryHandle parent, string leaf, LayerEntry entry)
        {
            foreach ((string key, byte[] value) in entry.Xattrs)
            {
                if (Allowed(key, entry.Path) && parent.TrySetXattr(leaf, key, value) != 0)
                {
                    Warnings.Add($"skipped extended attribute {key} of {entry.Path}: not permitted here");
                }
            }
        }

        /// <summary>
        /// overlayfs keeps its own state in trusted.overlay.* / user.overlay.* xattrs (opaque, redirect,
        /// metacopy); a layer that carries them could steer the merged view, so they never come from a layer.
        /// </summary>
        private bool Allowed(string key, string path)
        {
            if (key.StartsWith("trusted.overlay.", StringComparison.Ordinal) || key.StartsWith("user.overlay.", StringComparison.Ordinal))
            {
                Warnings.Add($"ignored extended attribute {key} of {path}: overlayfs private attributes are never taken from a layer");
                return false;
            }

            return true;
        }

        private void ApplyWhiteout(string path)
        {
            (string parentPath, string? leaf) = TreePath.Split(path);
            if (leaf is null)
            {
                throw SkiffException.InvalidArgument("layer has a whiteout for the root directory");
            }

            Whiteouts.Add(path);
            Invalidate();
            if (!Overlay)
            {
                using DirectoryHandle? parent = root.TryOpenInRoot(parentPath);
                parent?.RemoveTree(leaf);
                return;
            }

            using DirectoryHandle overlayParent = EnsureDirectory(parentPath);
            overlayParent.RemoveTree(leaf);
            if (overlayParent.TryMakeNode(leaf, FileKind.CharDevice, 0, 0, 0) != 0)
            {
                throw SkiffException.PrerequisiteMissing(
                    $"cannot create the overlay whiteout for {path}: the kernel refused a 0:0 character device",
                    "use the vfs storage driver (--storage-driver vfs) on this system");
            }
        }

        private void ApplyOpaque(string path)
        {
            Opaques.Add(path);
            Invalidate();
            if (!Overlay)
            {
                using DirectoryHandle? directory = root.TryOpenInRoot(path);
                if (directory is not null)
                {
                    RemoveUnwritten(directory, path);
                }

                return;
            }

            using DirectoryHandle target = EnsureDirectory(path);
            string key = options.Whiteouts == WhiteoutStyle.OverlayTrusted ? "trusted.overlay.opaque" : "user.overlay.opaque";
            int errno = target.TrySetXattr(string.Empty, key, "y"u8);
            if (errno != 0)
            {
                throw new SystemCallException($"setxattr {key}", path, errno, "use the vfs storage driver (--storage-driver vfs) on this system");
            }
        }

        /// <summary>Records a path this layer wrote, with its parents (which it created or kept).</summary>
        private void MarkWritten(string path)
        {
            while (_written.Add(path))
            {
                int slash = path.LastIndexOf('/');
                if (slash < 0)
                {
                    return;
                }

                path = path[..slash];
            }
        }

        /// <summary>Opaque in a full tree: everything below the directory that this layer did not write came from below and goes.</summary>
        private void RemoveUnwritten(DirectoryHandle directory, string path)
        {
            foreach (DirectoryEntry child in directory.List())
            {
                string childPath = path.Length == 0 ? child.Name : path + "/" + child.Name;
                if (!_written.Contains(childPath))
                {
                    directory.RemoveTree(child.Name);
                }
                else if (directory.TryStat(child.Name) is { Kind: FileKind.Directory })
                {
                    using DirectoryHandle sub = directory.OpenChild(child.Name);
                    RemoveUnwritten(sub, childPath);
                }
            }
        }

        /// <summary>Opens the directory at <paramref name="path"/> inside the root, creating missing components.</summary>
        private DirectoryHandle EnsureDirectory(string path)
        {
            DirectoryHandle? existing = root.TryOpenInRoot(path);
            if (existing is not null)
            {
                return existing;
            }

            (string parentPath, string? leaf) = TreePath.Split(path);
            using DirectoryHandle parent = EnsureDirectory(parentPath);

            // Whatever is there is not a directory (a file, or a symlink to nothing or to a non-directory): replace it.
            Remove(parent, leaf!);
            parent.MakeDirectory(leaf!, 0x1ED);
            DirectoryHandle created = parent.OpenChild(leaf!);
            if (Overlay)
            {
                CopyLowerMetadata(created, path);
            }

            return created;
        }

        private void CopyLowerMetadata(DirectoryHandle created, string path)
        {
            (string parentPath, string? leaf) = TreePath.Split(path);
            foreach (DirectoryHandle lower in options.Lowers)
            {
                using DirectoryHandle? lowerParent = lower.TryOpenInRoot(parentPath);
                if (lowerParent?.TryStat(leaf!) is not { } status)
                {
                    continue;
                }

                if (status.Kind != FileKind.Directory)
                {
                    return;
                }

                if (options.PreserveOwners)
                {
                    created.Chown(string.Empty, status.Uid, status.Gid);
                }

                created.Chmod(string.Empty, status.Mode);
                _directories.Add(new LayerEntry { Path = path, Kind = LayerEntryKind.Directory, MtimeSeconds = status.MtimeSeconds, MtimeNanoseconds = status.MtimeNanoseconds });
                return;
            }
        }
    }
}

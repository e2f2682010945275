using System.Globalization;
using Skiff.Cli.Commands.Containers;
using Skiff.Core.Errors;
using Skiff.Images.Building;
using Skiff.Images.Files;
using Skiff.Images.Trees;
using Skiff.Images.Unpack;

namespace Skiff.Cli.Commands.Images.Building;

/// <summary>
/// COPY and ADD from the build context into a step's container root. Sources are looked up only through the
/// context directory's handle (<c>openat2(RESOLVE_IN_ROOT)</c>: a symlinked parent cannot lead out of the context)
/// and walked without following symlinks, so a symlink in the context is copied as a link, never its target; a
/// source that climbs out with <c>..</c> is refused. Destinations are written through the container root's handle,
/// as <c>skiff cp</c> writes them. docker's rules: a directory source copies its contents; a destination ending in
/// <c>/</c> or naming an existing directory receives a file by its name; several sources need such a destination;
/// ADD extracts a local tar archive (plain, gzip or zstd) into the destination directory.
/// </summary>
public sealed class ContextCopier(DirectoryHandle context, string contextPath, IgnorePatterns ignore)
{
    /// <summary>Keep the sources' owners unless --chown is given (COPY --from an image); false: root's.</summary>
    public bool KeepOwners { get; init; }

    /// <param name="sources">The sources as written (variables substituted), relative to the context.</param>
    /// <param name="destination">The destination as written: absolute, or relative to <paramref name="workingDir"/>.</param>
    /// <param name="owner">--chown's value, or null for root.</param>
    /// <param name="chmod">--chmod's octal value, or null.</param>
    /// <param name="extract">ADD: tar archives are extracted.</param>
    public void Copy(ContainerRoot root, IReadOnlyList<string> sources, string destination, string workingDir, string? owner, string? chmod, bool extract, string instruction)
    {
        uint? uid = KeepOwners ? null : 0u;
        uint? gid = uid;
        if (owner is not null)
        {
            (uid, gid) = Owner(root, owner);
        }

        uint? mode = chmod is null ? null : ParseMode(chmod);
        var items = new List<string>();
        foreach (string source in sources)
        {
            items.AddRange(Resolve(source, instruction));
        }

        bool toDirectory = destination.EndsWith('/') || destination.EndsWith("/.", StringComparison.Ordinal) || destination == ".";
        string target = TreePath.Clean(destination.StartsWith('/') ? destination : workingDir + "/" + destination);
        if (items.Count > 1 && !toDirectory)
        {
            throw SkiffException.InvalidArgument(
                $"when using {instruction} with more than one source file, the destination must be a directory and end with a /",
                $"write the destination as {destination}/");
        }

        foreach (string item in items)
        {
            (string parentPath, string? leaf) = TreePath.Split(item);
            using DirectoryHandle parent = parentPath.Length == 0 ? context.Duplicate() : context.OpenInRoot(parentPath);
            FileStatus status = leaf is null ? parent.Stat(string.Empty) : parent.Stat(leaf);
            string contextItem = item;
            if (status.Kind == FileKind.Directory)
            {
                // The contents go into the destination, which takes the directory's own mode, time and (--chown) owner, as buildah's.
                using DirectoryHandle directory = leaf is null ? parent.Duplicate() : parent.OpenChild(leaf);
                (string intoPath, string? top) = TreePath.Split(target);
                if (top is null)
                {
                    Apply(new TreeEntrySource(directory, null, string.Empty), root.Handle, path => Join(contextItem, path), uid, gid, mode, root);
                    continue;
                }

                using DirectoryHandle into = EnsureDirectory(root, intoPath);
                Apply(new TreeEntrySource(directory, null, top), into, path => path == top ? contextItem : Join(contextItem, path[(top.Length + 1)..]), uid, gid, mode, root);
                continue;
            }

            if (extract && status.Kind == FileKind.Regular && TryExtract(parent, leaf!, root, target, owner is null ? null : (uid!.Value, gid!.Value)))
            {
                continue;
            }

            string destinationDirectory = target;
            string name = leaf!;
            if (!toDirectory && !IsDirectory(root, target))
            {
                (destinationDirectory, string? last) = TreePath.Split(target);
                name = last ?? leaf!;
            }

            using DirectoryHandle intoDirectory = EnsureDirectory(root, destinationDirectory);
            string prefix = name;
            Apply(new TreeEntrySource(parent, leaf, name), intoDirectory, path => path == prefix ? contextItem : contextItem + path[prefix.Length..], uid, gid, mode, root);
        }
    }

    /// <summary>The context-relative paths a source names: itself, or what its wildcards match (sorted, as docker's walk finds them).</summary>
    private List<string> Resolve(string source, string instruction)
    {
        if (source.Contains("://", StringComparison.Ordinal) || source.StartsWith("git@", StringComparison.Ordinal))
        {
            throw SkiffException.InvalidArgument(
                $"{instruction} of a URL is not supported: {source}",
                "download the file into the build context first (or RUN wget/curl in the image)");
        }

        string relative = Relative(source);
        if (relative.IndexOfAny(['*', '?', '[']) < 0)
        {
            if (!Exists(relative))
            {
                throw NotFound(source);
            }

            return [relative];
        }

        var matches = new List<string> { string.Empty };
        foreach (string part in relative.Split('/'))
        {
            var next = new List<string>();
            foreach (string prefix in matches)
            {
                if (part.IndexOfAny(['*', '?', '[']) < 0)
                {
                    string candidate = Join(prefix, part);
                    if (Exists(candidate))
                    {
                        next.Add(candidate);
                    }

                    continue;
                }

                using DirectoryHandle? directory = prefix.Length == 0 ? context.Duplicate() : context.TryOpenInRoot(prefix);
                if (directory is null)
                {
                    continue;
                }

                IgnorePatterns component = IgnorePatterns.Parse(part);
                foreach (DirectoryEntry entry in directory.List().OrderBy(e => e.Name, StringComparer.Ordinal))
                {
                    if (component.Excluded(entry.Name) && !ignore.Excluded(Join(prefix, entry.Name)))
                    {
                        next.Add(Join(prefix, entry.Name));
                    }
                }
            }

            matches = next;
        }

        if (matches.Count == 0)
        {
            throw NotFound(source);
        }

        return matches;
    }

    /// <summary>
    /// The source relative to the context: a leading '/' is the context's top; '..' that would climb above it is refused
    /// (docker and buildah clamp it silently, which hides a Containerfile written for another context).
    /// </summary>
    private static string Relative(string source)
    {
        int depth = 0;
        var parts = new List<string>();
        foreach (string part in source.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (--depth < 0)
                {
                    throw SkiffException.InvalidArgument(
                        $"forbidden path outside the build context: {source}",
                        "COPY and ADD read only files inside the build context directory; move the file into it");
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            depth++;
            parts.Add(part);
        }

        return string.Join('/', parts);
    }

    private bool Exists(string relative)
    {
        if (relative.Length == 0)
        {
            return true;
        }

        if (ignore.Excluded(relative))
        {
            return false;
        }

        (string parentPath, string? leaf) = TreePath.Split(relative);
        using DirectoryHandle? parent = parentPath.Length == 0 ? context.Duplicate() : context.TryOpenInRoot(parentPath);
        return parent?.TryStat(leaf!) is not null;
    }

    private SkiffException NotFound(string source) => SkiffException.NotFound(
        $"checking on sources under \"{contextPath}\": copier: stat: \"/{Relative(source)}\": no such file or directory",
        "the path is relative to the build context, and .containerignore/.dockerignore may leave it out");

    private void Apply(ILayerEntrySource tree, DirectoryHandle into, Func<string, string> contextPathOf, uint? uid, uint? gid, uint? mode, ContainerRoot root)
    {
        var source = new ContextEntrySource(tree, ignore, contextPathOf, uid, gid, mode);
        (ILayerEntrySource owned, ApplyOptions options) = CopyOwners.In(source, root.OuterIds, keepOwners: true);
        new LayerApplier().Apply(owned, into, options with { ReplaceKinds = true });
    }

    /// <summary>ADD of a local archive: extracted into the destination directory when it is a tar (plain, gzip or zstd); false for any other file.</summary>
    private static bool TryExtract(DirectoryHandle parent, string leaf, ContainerRoot root, string target, (uint Uid, uint Gid)? owner)
    {
        using var file = new FileStream(parent.OpenFileForRead(leaf), FileAccess.Read, bufferSize: 0);
        byte[] head = new byte[512];
        int got = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        file.Position = 0;
        bool compressed = LayerDecompressor.Detect(head.AsSpan(0, got)) != Skiff.Images.Manifests.LayerCompression.None;
        bool tar = got >= 262 && head.AsSpan(257, 5).SequenceEqual("ustar"u8);
        if (!compressed && !tar)
        {
            return false;
        }

        using Stream stream = LayerDecompressor.Open(file);
        ILayerEntrySource entries = new TarEntrySource(stream, 10_000_000);
        if (owner is { } ids)
        {
            entries = new ContextEntrySource(entries, IgnorePatterns.None, p => p, ids.Uid, ids.Gid, null);
        }

        using DirectoryHandle into = EnsureDirectory(root, target);
        (ILayerEntrySource owned, ApplyOptions options) = CopyOwners.In(entries, root.OuterIds, keepOwners: true);
        new LayerApplier().Apply(owned, into, options);
        return true;
    }

    private static bool IsDirectory(ContainerRoot root, string path)
    {
        using DirectoryHandle? directory = root.TryOpen(path);
        return directory is not null;
    }

    /// <summary>Opens a directory of the container, making it and its missing parents (root's, 0755) first.</summary>
    public static DirectoryHandle EnsureDirectory(ContainerRoot root, string path)
    {
        DirectoryHandle current = root.Handle.Duplicate();
        string walked = string.Empty;
        foreach (string part in TreePath.Components(path))
        {
            walked = Join(walked, part);
            DirectoryHandle? next = root.TryOpen(walked);
            if (next is null)
            {
                if (!current.TryMakeDirectory(part, 0x1ED))
                {
                    current.Dispose();
                    throw SkiffException.Conflict($"cannot make directory /{walked}: a file of that name is in the way");
                }

                next = current.OpenChild(part);
            }

            current.Dispose();
            current = next;
        }

        return current;
    }

    private static string Join(string parent, string child) => parent.Length == 0 ? child : child.Length == 0 ? parent : parent + "/" + child;

    private static uint ParseMode(string chmod)
    {
        try
        {
            uint mode = Convert.ToUInt32(chmod, 8);
            if (mode <= 0xFFF)
            {
                return mode;
            }
        }
        catch (FormatException)
        {
        }
        catch (OverflowException)
        {
        }

        throw SkiffException.InvalidArgument($"invalid --chmod value \"{chmod}\"", "give octal permission bits, e.g. --chmod=0644");
    }

    /// <summary>--chown=USER[:GROUP]: numbers as they are, names looked up in the image's /etc/passwd and /etc/group.</summary>
    private static (uint Uid, uint Gid) Owner(ContainerRoot root, string owner)
    {
        int colon = owner.IndexOf(':');
        string user = colon < 0 ? owner : owner[..colon];
        string? group = colon < 0 ? null : owner[(colon + 1)..];
        (uint uid, uint? primary) = Lookup(root, "passwd", user);
        uint gid = group is null ? primary ?? uid : Lookup(root, "group", group).Id;
        return (uid, gid);
    }

    private static (uint Id, uint? PrimaryGroup) Lookup(ContainerRoot root, string file, string name)
    {
        if (uint.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out uint number))
        {
            return (number, null);
        }

        using DirectoryHandle? etc = root.TryOpen("etc");
        if (etc?.TryStat(file) is { Kind: FileKind.Regular })
        {
            using var stream = new FileStream(etc.OpenFileForRead(file), FileAccess.Read, bufferSize: 0);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                string[] fields = line.Split(':');
                if (fields.Length >= 3 && fields[0] == name && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint id))
                {
                    return (id, file == "passwd" && fields.Length >= 4 && uint.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out uint gid) ? gid : null);
                }
            }
        }

        throw SkiffException.InvalidArgument(
            $"looking up {(file == "passwd" ? "UID" : "GID")} for \"{name}\": no such {(file == "passwd" ? "user" : "group")} in the image's /etc/{file}",
            "give a numeric id, or a name the image defines");
    }
}

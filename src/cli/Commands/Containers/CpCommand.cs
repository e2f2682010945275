using System.CommandLine;
using Skiff.Core.Errors;
using Skiff.Images.Files;
using Skiff.Images.Trees;
using Skiff.Images.Unpack;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// <c>skiff cp [-a] CONTAINER:SRC DEST|-</c> and <c>skiff cp [-a] SRC|- CONTAINER:DEST</c>, with docker's
/// rules (a trailing <c>/.</c> copies a directory's contents; an existing directory destination receives
/// the source by name). The container side is resolved only through <see cref="ContainerRoot"/>'s handle
/// with <c>openat2(RESOLVE_IN_ROOT)</c> and walked or written with <c>*at</c> calls that never follow a final
/// symlink, so a container that swaps a directory for a symlink to <c>/</c> during the copy keeps the copy inside it.
/// As podman, a copied directory does not replace a non-directory nor the reverse unless <c>--overwrite</c> is given.
/// </summary>
public static class CpCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var archive = new Option<bool>("--archive", "-a") { Description = "Keep the owners (uid/gid) of the copied files" };
        var follow = new Option<bool>("--follow-link", "-L") { Description = "Always follow symbolic links in SRC_PATH" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Allow to overwrite directories with non-directories and vice versa" };
        var source = new Argument<string>("source") { Description = "CONTAINER:SRC_PATH, a host path or - (a tar stream on stdin)" };
        var destination = new Argument<string>("destination") { Description = "CONTAINER:DEST_PATH, a host path or - (a tar stream on stdout)" };
        var command = new Command("cp", "Copy files/folders between a container and the local filesystem") { archive, follow, overwrite, source, destination };
        command.SetAction(async parse =>
        {
            CliContext context = globals.Resolve(parse);
            string src = parse.GetValue(source)!;
            string dst = parse.GetValue(destination)!;
            (string? fromContainer, string fromPath) = Split(src);
            (string? toContainer, string toPath) = Split(dst);
            if ((fromContainer is null) == (toContainer is null))
            {
                throw SkiffException.InvalidArgument(
                    fromContainer is null ? "copying between host paths is not supported: one of SRC and DEST must be CONTAINER:PATH" : "copying between containers is not supported",
                    "use skiff cp CONTAINER:SRC_PATH DEST_PATH or skiff cp SRC_PATH CONTAINER:DEST_PATH");
            }

            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            string id = lifecycle.Store.Resolve(fromContainer ?? toContainer!);
            if (context.User.Rootless && !context.User.InsideUserNamespace)
            {
                // A running container's root is reachable from its own user namespace; a stopped one is mounted in a new one.
                ContainerState state = lifecycle.Observe(id);
                return await UserNamespaceEntry.RunAsync(context.User, UserNamespaceEntry.CurrentArguments(), state.Running ? UserNamespaceEntry.HolderOf(state) : null);
            }

            bool keepOwners = parse.GetValue(archive);
            bool replaceKinds = parse.GetValue(overwrite);
            using ContainerRoot root = ContainerRoot.Open(lifecycle, id, withVolumes: true);
            try
            {
                if (fromContainer is not null)
                {
                    CopyOut(root, fromContainer, fromPath, dst, keepOwners, parse.GetValue(follow), replaceKinds);
                }
                else
                {
                    CopyIn(root, src, toContainer!, toPath, keepOwners, replaceKinds);
                }
            }
            catch (SkiffException e) when (e.Kind == ErrorKind.Conflict && e.Hint is null)
            {
                string side = fromContainer is null ? $"copying to container {toContainer}" : "copying to the host";
                throw SkiffException.Conflict($"{side}: {e.Message}: file exists", "--overwrite replaces directories with non-directories and the reverse");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>docker's rule: CONTAINER:PATH when a colon comes before any slash (so ./a:b and /x:y stay host paths).</summary>
    public static (string? Container, string Path) Split(string argument)
    {
        int colon = argument.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || argument[..colon].Contains('/') || argument.StartsWith('.'))
        {
            return (null, argument);
        }

        return (argument[..colon], argument[(colon + 1)..]);
    }

    private static void CopyOut(ContainerRoot root, string container, string path, string destination, bool keepOwners, bool followLinks, bool replaceKinds)
    {
        bool contentsOnly = path.EndsWith("/.", StringComparison.Ordinal) || path == ".";
        (string parentPath, string? leaf) = TreePath.Split(path);
        string clean = TreePath.Clean(path);
        DirectoryHandle? parent;
        string? item = null;
        if (leaf is null || contentsOnly || path.EndsWith('/') || root.IsMountRoot(clean))
        {
            // The directory itself, symlinks on the way (the last one too) resolved inside the root.
            parent = root.TryOpen(clean);
        }
        else
        {
            parent = root.TryOpen(parentPath);
            item = leaf;
            FileStatus? status = parent?.TryStat(leaf);
            if (status is { Kind: FileKind.Symlink } && followLinks)
            {
                DirectoryHandle? target = root.TryOpen(clean);
                if (target is not null)
                {
                    parent!.Dispose();
                    (parent, item) = (target, null);
                }
            }
            else if (status is null)
            {
                parent?.Dispose();
                parent = null;
            }
        }

        if (parent is null)
        {
            throw SkiffException.NotFound($"\"{path}\" could not be found on container {container}: no such file or directory");
        }

        using (parent)
        {
            string name = contentsOnly ? string.Empty : leaf ?? string.Empty;
            if (destination == "-")
            {
                using Stream stdout = new Output.StandardStream(1);
                TarEntryWriter.Write(Source(root, parent, item, name, clean), stdout);
                return;
            }

            string host = Path.GetFullPath(destination);
            bool isDirectorySource = item is null || parent.TryStat(item) is { Kind: FileKind.Directory };
            string targetDirectory;
            if (Directory.Exists(host))
            {
                targetDirectory = host;
            }
            else
            {
                if (destination.EndsWith('/') && !isDirectorySource)
                {
                    throw SkiffException.NotFound($"\"{destination}\" could not be found on the host: no such file or directory");
                }

                targetDirectory = Path.GetDirectoryName(host) ?? "/";
                if (!Directory.Exists(targetDirectory))
                {
                    throw SkiffException.NotFound($"\"{targetDirectory}\" could not be found on the host: no such file or directory");
                }

                name = Path.GetFileName(host);
            }

            using DirectoryHandle target = DirectoryHandle.Open(targetDirectory);
            new LayerApplier().Apply(Source(root, parent, item, name, clean), target, new ApplyOptions { PreserveOwners = keepOwners, ReplaceKinds = replaceKinds });
        }
    }

    /// <summary>The copied tree with the owners the container sees (what <c>export</c> shows).</summary>
    private static ILayerEntrySource Source(ContainerRoot root, DirectoryHandle parent, string? item, string name, string clean) =>
        CopyOwners.Out(Tree(root, parent, item, name, clean), root.OuterIdsAt(clean));

    /// <summary>
    /// The copied tree; for a stopped container's directory also the volumes and bind mounts below it (in
    /// place of their empty mount points, as podman's cp sees them with the container's mounts).
    /// </summary>
    private static ILayerEntrySource Tree(ContainerRoot root, DirectoryHandle parent, string? item, string name, string clean)
    {
        HashSet<string> excluded = Excluded(root, clean);
        bool directory = item is null || parent.TryStat(item) is { Kind: FileKind.Directory };
        IReadOnlyList<(string Relative, DirectoryHandle Handle)> mounts = directory ? root.MountsBelow(clean) : [];
        if (mounts.Count == 0)
        {
            return new TreeEntrySource(parent, item, name, excluded);
        }

        excluded.UnionWith(mounts.Select(m => m.Relative));
        var sources = new List<ILayerEntrySource> { new TreeEntrySource(parent, item, name, excluded) };
        foreach ((string relative, DirectoryHandle handle) in mounts)
        {
            // A mount nested in this one is walked on its own, after it.
            HashSet<string> nested = mounts.Where(m => m.Relative.StartsWith(relative + "/", StringComparison.Ordinal)).Select(m => m.Relative[(relative.Length + 1)..]).ToHashSet(StringComparer.Ordinal);
            sources.Add(new TreeEntrySource(handle, null, name.Length == 0 ? relative : name + "/" + relative, nested));
        }

        return new ConcatenatedEntrySource(sources);
    }

    /// <summary>
    /// The kernel filesystems below the copied directory, relative to it, so that copying a running
    /// container's / does not walk /proc and /sys. (Approximate when the path went through a symlink.)
    /// </summary>
    private static HashSet<string> Excluded(ContainerRoot root, string top)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (string mount in root.KernelMountPoints)
        {
            if (top.Length == 0)
            {
                result.Add(mount);
            }
            else if (mount.StartsWith(top + "/", StringComparison.Ordinal))
            {
                result.Add(mount[(top.Length + 1)..]);
            }
        }

        return result;
    }

    private static void CopyIn(ContainerRoot root, string source, string container, string path, bool keepOwners, bool replaceKinds)
    {
        string clean = TreePath.Clean(path);
        root.CheckWritable(clean, container);
        if (source == "-")
        {
            using DirectoryHandle destination = root.TryOpen(clean)
                ?? throw SkiffException.NotFound($"\"{path}\" could not be found on container {container}: no such file or directory", "a tar stream is extracted into an existing directory");
            using Stream stdin = Console.OpenStandardInput();
            Write(new TarEntrySource(stdin, 10_000_000), destination, root.OuterIdsAt(clean), keepOwners, replaceKinds);
            return;
        }

        string host = Path.GetFullPath(source);
        if (!Path.Exists(host))
        {
            throw SkiffException.NotFound($"\"{source}\" could not be found on the host: no such file or directory");
        }

        bool contentsOnly = source.EndsWith("/.", StringComparison.Ordinal) || source == ".";
        bool hostIsDirectory = Directory.Exists(host);
        using DirectoryHandle hostParent = hostIsDirectory && (contentsOnly || source.EndsWith('/'))
            ? DirectoryHandle.Open(host)
            : DirectoryHandle.Open(Path.GetDirectoryName(host) ?? "/");
        string? hostItem = hostIsDirectory && (contentsOnly || source.EndsWith('/')) ? null : Path.GetFileName(host);

        DirectoryHandle? existing = clean.Length == 0 ? root.Handle.Duplicate() : root.TryOpen(clean);
        string name;
        DirectoryHandle destinationDirectory;
        if (existing is not null)
        {
            destinationDirectory = existing;
            name = contentsOnly ? string.Empty : Path.GetFileName(host.TrimEnd('/'));
        }
        else
        {
            (string parentPath, string? leaf) = TreePath.Split(path);
            destinationDirectory = root.TryOpen(parentPath)
                ?? throw SkiffException.NotFound($"\"{path}\" could not be found on container {container}: no such file or directory");
            name = leaf!;
        }

        using (destinationDirectory)
        {
            Write(new TreeEntrySource(hostParent, hostItem, name), destinationDirectory, root.OuterIdsAt(clean), keepOwners, replaceKinds);
        }
    }

    /// <summary>Writes a copied tree into the container, its owners as <see cref="CopyOwners.In"/> decides.</summary>
    private static void Write(ILayerEntrySource tree, DirectoryHandle destination, Core.IdMaps.IdMap? outerIds, bool keepOwners, bool replaceKinds)
    {
        (ILayerEntrySource source, ApplyOptions options) = CopyOwners.In(tree, outerIds, keepOwners);
        new LayerApplier().Apply(source, destination, options with { ReplaceKinds = replaceKinds });
    }
}

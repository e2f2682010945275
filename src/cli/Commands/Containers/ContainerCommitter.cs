using Skiff.Cli.Commands.Images;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Images.Files;
using Skiff.Images.Local;
using Skiff.Images.Store;
using Skiff.Images.Trees;
using Skiff.Images.Unpack;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// Makes an image of a container's image and its writable layer (<c>commit</c>, and each RUN, COPY and ADD of a
/// build). The layer is read from the overlay upper directory without following symlinks, whiteouts and opaque
/// directories become OCI <c>.wh.</c> entries, and files carry the owners the container sees. Rootless the caller
/// runs inside skiff's user namespace, and holds the layer store for use (see <see cref="StorageServices.Layers"/>).
/// </summary>
public sealed class ContainerCommitter(CliContext context, ContainerStore store)
{
    /// <summary>The stored image a container was created from; an error for one that has none to commit onto.</summary>
    public ImageRecord BaseImage(ContainerConfig config, LocalImages local)
    {
        if (config.ImageId is not { } imageId || !Directory.Exists(Upper(config.Id)))
        {
            throw SkiffException.PrerequisiteMissing(
                config.ImageId is null
                    ? $"container {ContainerIds.Short(config.Id)} runs on a root filesystem (--rootfs), not an image: there is nothing to commit onto"
                    : $"container {ContainerIds.Short(config.Id)} uses a copied root filesystem (the vfs driver), which keeps no layer of its changes",
                "commit needs a container created from an image with the overlay storage driver");
        }

        return local.Images.TryGet(Digest.Parse(imageId.Contains(':') ? imageId : "sha256:" + imageId))
            ?? throw SkiffException.NotFound($"image {imageId} of container {ContainerIds.Short(config.Id)} is no longer stored");
    }

    /// <summary>Commits the container's writable layer onto <paramref name="baseImage"/> as <paramref name="options"/> say.</summary>
    public async Task<ImageRecord> CommitAsync(
        ContainerConfig config, ImageRecord baseImage, LocalImages local, CommitOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        using DirectoryHandle layer = DirectoryHandle.Open(Upper(config.Id));
        ILayerEntrySource source = new DiffTreeSource(layer, new HashSet<string>(), opaqueFromXattrs: true);
        if (config.IdMappings is { } map)
        {
            source = new ContainerOwnersSource(source, map);
        }

        return await new LayerCommitter(local, ImageServices.Temporary(context)).CommitAsync(baseImage, source, options, progress, cancellationToken);
    }

    private string Upper(string id) => Path.Combine(store.SnapshotDirectory(id), "upper");
}

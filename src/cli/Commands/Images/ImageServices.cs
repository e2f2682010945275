using Skiff.Images.Content;
using Skiff.Images.Local;
using Skiff.Images.Store;

namespace Skiff.Cli.Commands.Images;

/// <summary>Builds the local image stores for one invocation (only when a command runs, to keep startup lean).</summary>
public static class ImageServices
{
    public static LocalImages Local(CliContext context)
    {
        var content = new ContentStore(context.Paths.Root);
        Skiff.Images.Unpack.LayerStore layers = StorageServices.Layers(context);
        return new(new ImageStore(context.Paths.Root), content, new Skiff.Images.Unpack.LayerUnpacker(content, layers), layers);
    }

    /// <summary>Containers that use images, from the container store.</summary>
    public static IImageUsers Users(CliContext context) => new ContainerImageUsers(Containers.ContainerServices.Store(context));

    /// <summary>The store consistency check and sweep (prune, system check).</summary>
    public static StoreChecker StoreChecker(CliContext context)
    {
        var content = new ContentStore(context.Paths.Root);
        Skiff.Images.Unpack.LayerStore layers = StorageServices.Layers(context);
        return new StoreChecker(new LocalImages(new ImageStore(context.Paths.Root), content, null, layers), layers, context.Paths.Root, Temporary(context))
        {
            MappedCopies = MappedCopies(context),
            MappedCopiesInUse = () => MappedCopiesInUse(context),
        };
    }

    /// <summary>The owner-shifted image copies of rootless containers with their own id map.</summary>
    public static Skiff.Images.Snapshots.MappedCopies MappedCopies(CliContext context) =>
        new(Path.Combine(context.Paths.Root, Skiff.Images.Snapshots.MappedCopies.DirectoryName));

    /// <summary>
    /// After rmi: removes the owner-shifted copies of images that are gone (unless a container mounts them),
    /// under the store's exclusive hold; when another skiff process holds the store, image prune or
    /// system check --repair removes them later.
    /// </summary>
    public static long SweepMappedCopies(CliContext context)
    {
        Skiff.Images.Snapshots.MappedCopies copies = MappedCopies(context);
        if (!Directory.Exists(copies.Root))
        {
            return 0;
        }

        using Skiff.Core.Files.FileLock? exclusive = StorageServices.Layers(context).TryHoldExclusive();
        if (exclusive is null)
        {
            return 0;
        }

        var chains = new HashSet<Skiff.Core.Digests.Digest>();
        foreach (ImageRecord image in new ImageStore(context.Paths.Root).List())
        {
            if (image.DiffIds.All(d => Skiff.Core.Digests.Digest.TryParse(d, out _)))
            {
                chains.UnionWith(Skiff.Images.Manifests.ChainIds.Compute(image.DiffIds.Select(Skiff.Core.Digests.Digest.Parse).ToList()));
            }
        }

        return copies.Sweep(chains, MappedCopiesInUse(context));
    }

    /// <summary>The copies named by the stored containers' root filesystem mounts.</summary>
    private static HashSet<string> MappedCopiesInUse(CliContext context)
    {
        Skiff.Images.Snapshots.MappedCopies copies = MappedCopies(context);
        Skiff.Runtime.Lifecycle.ContainerStore containers = Containers.ContainerServices.Store(context);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (string id in containers.ListIds())
        {
            try
            {
                used.UnionWith(copies.NamesUsedBy(containers.ReadConfig(id).RootfsMounts));
            }
            catch (Exception e) when (e is IOException or Skiff.Core.Errors.SkiffException or global::System.Text.Json.JsonException)
            {
                // A container being removed right now.
            }
        }

        return used;
    }

    /// <summary>Scratch space on the store's filesystem (so finished files can be renamed into place).</summary>
    public static string Temporary(CliContext context) => Path.Combine(context.Paths.Root, "tmp");
}

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
        return new StoreChecker(new LocalImages(new ImageStore(context.Paths.Root), content, null, layers), layers, context.Paths.Root, Temporary(context));
    }

    /// <summary>Scratch space on the store's filesystem (so finished files can be renamed into place).</summary>
    public static string Temporary(CliContext context) => Path.Combine(context.Paths.Root, "tmp");
}

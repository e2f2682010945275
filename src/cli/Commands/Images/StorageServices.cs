using Skiff.Core.Digests;
using Skiff.Images.Manifests;
using Skiff.Images.Snapshots;
using Skiff.Images.Unpack;

namespace Skiff.Cli.Commands.Images;

/// <summary>Builds the layer store and the snapshotter for a command, from the store paths and --storage-driver.</summary>
public static class StorageServices
{
    public static LayerStore Layers(CliContext context) =>
        new(context.Paths.Root, LayerStoreOptions.ForStore(context.User.Rootless));

    /// <summary>Mounting (and so probing) works as root and inside skiff's user namespace.</summary>
    public static StorageDriverSelector Selector(CliContext context) =>
        new(context.Paths.Root, context.Paths.RunRoot, LayerStoreOptions.ForStore(context.User.Rootless).Whiteouts, canMount: !context.User.Rootless || context.User.InsideUserNamespace);

    public static StorageDriverChoice Driver(CliContext context) => Selector(context).Choose(context.StorageDriver);

    public static ISnapshotter Snapshotter(CliContext context, LayerStore layers)
    {
        StorageDriverSelector selector = Selector(context);
        return selector.Create(selector.Choose(context.StorageDriver), layers);
    }

    public static IReadOnlyList<Digest> ChainIdsOf(IReadOnlyList<string> diffIds) =>
        ChainIds.Compute(diffIds.Select(Digest.Parse).ToList());
}

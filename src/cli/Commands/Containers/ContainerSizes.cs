using Skiff.Core.Digests;
using Skiff.Images.Local;
using Skiff.Images.Snapshots;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>Measures containers' sizes for <c>ps --size</c> and <c>inspect --size</c>, reading each image's size once.</summary>
public sealed class ContainerSizes(ContainerStore store, Lazy<LocalImages> images)
{
    private readonly Dictionary<string, long> imageSizes = new(StringComparer.Ordinal);

    /// <summary>
    /// Rootless, the writable layer holds files owned by subordinate ids that only skiff's user namespace can
    /// read: a command that measures sizes runs there (see <see cref="UserNamespaceEntry"/>).
    /// </summary>
    public static bool NeedUserNamespace(CliContext context) => context.User.Rootless && !context.User.InsideUserNamespace;

    public ContainerSize Measure(ContainerConfig config) =>
        new(SnapshotUsage.WritableBytes(store.SnapshotDirectory(config.Id)), ImageSize(config.ImageId));

    private long ImageSize(string? imageId)
    {
        if (imageId is null || !Digest.TryParse(imageId, out Digest id))
        {
            return 0;
        }

        if (!imageSizes.TryGetValue(imageId, out long size))
        {
            size = images.Value.Images.TryGet(id)?.Size ?? 0;
            imageSizes[imageId] = size;
        }

        return size;
    }
}

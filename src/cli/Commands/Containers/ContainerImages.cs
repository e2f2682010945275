using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Core.Mounts;
using Skiff.Images.Local;
using Skiff.Images.Manifests;
using Skiff.Images.Snapshots;
using Skiff.Images.Store;
using Skiff.Images.Unpack;
using Skiff.Cli.Commands.Images;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// Where images meet containers: resolves the image for run/create, makes sure its layers are unpacked,
/// and prepares a writable snapshot whose mounts the runtime applies as the container's root.
/// </summary>
public sealed class ContainerImages(CliContext context)
{
    /// <param name="pull">Pulls the image into the store (podman's --pull policies decide when).</param>
    /// <param name="owners">
    /// Called once the image's layers are unpacked, with how many ids its accounts use (<see cref="ImageAccountIds"/>,
    /// computed only when asked for): rootless with a user namespace of the container's own it returns the map, and the
    /// snapshot becomes a copy whose owners are the image's ids through it (idmapped mounts need privileges over the
    /// host filesystem); null for the image's own owners.
    /// </param>
    /// <param name="platform">--platform: a local image built for another platform is not the image asked for (podman).</param>
    public async Task<ContainerImage> PrepareAsync(string image, string snapshotDirectory, string pullPolicy, Func<Task<ImageRecord>> pull, Func<Func<uint>, Core.IdMaps.IdMap?>? owners = null, Platform? platform = null)
    {
        LocalImages local = ImageServices.Local(context);
        ImageRecord record = await ResolveAsync(local, image, pullPolicy, pull, platform);
        ImageConfig config = local.Config(record);
        LayerStore layers = StorageServices.Layers(context);
        using IDisposable inUse = layers.HoldForUse();
        if (local.Unpacker is ILayerUnpacker unpacker)
        {
            // Layers may be missing after a crash or a prune; unpacking is idempotent.
            unpacker.UnpackAsync(local.Manifest(record), config).GetAwaiter().GetResult();
        }

        IReadOnlyList<Digest> chainIds = StorageServices.ChainIdsOf(record.DiffIds);
        Core.IdMaps.IdMap? map = owners?.Invoke(() => ImageAccountIds.Of(layers, chainIds));
        ISnapshotter snapshotter = map is null ? StorageServices.Snapshotter(context, layers) : MappedSnapshotter(layers, map);
        IReadOnlyList<MountSpec> mounts;
        try
        {
            mounts = snapshotter.PrepareWritable(chainIds, snapshotDirectory);
        }
        catch
        {
            snapshotter.Remove(snapshotDirectory);
            throw;
        }

        ContainerConfig? defaults = config.Config;
        return new ContainerImage(
            record.Id,
            mounts,
            defaults?.Entrypoint ?? [],
            defaults?.Cmd ?? [],
            defaults?.Env ?? [],
            defaults?.WorkingDir,
            defaults?.User is { Length: > 0 } user ? user : null,
            defaults?.Volumes?.Keys.Order(StringComparer.Ordinal).ToList() ?? [],
            defaults?.ExposedPorts?.Keys.ToList() ?? [],
            ImageStore.ResolvedName(record, image),
            defaults?.StopSignal is { Length: > 0 } signal ? signal : null,
            defaults?.Healthcheck,
            defaults?.Labels);
    }

    /// <summary>
    /// A container with its own id map (rootless): a copy of the image owned through the map, shared per
    /// image and map, under an overlay; with --storage-driver vfs a full copy per container.
    /// </summary>
    private ISnapshotter MappedSnapshotter(LayerStore layers, Core.IdMaps.IdMap owners) =>
        StorageServices.Driver(context).Name == "overlay"
            ? new MappedCopySnapshotter(layers, Path.Combine(context.Paths.Root, Skiff.Images.Snapshots.MappedCopies.DirectoryName), owners, layers.Whiteouts == WhiteoutStyle.OverlayUser)
            : new CopySnapshotter(layers) { Owners = owners };

    /// <summary>Image variables first, then the user's: a later NAME=value wins, as in docker.</summary>
    public static IReadOnlyList<string> MergeEnv(IReadOnlyList<string> image, IReadOnlyList<string> flags)
    {
        var merged = new List<string>();
        foreach (string variable in image.Concat(flags))
        {
            string name = variable.Split('=', 2)[0];
            merged.RemoveAll(v => v.Split('=', 2)[0] == name);
            merged.Add(variable);
        }

        return merged;
    }

    /// <summary>
    /// podman's pull policies: <c>missing</c> pulls only when no local image matches, <c>always</c> pulls
    /// every time, <c>newer</c> pulls but keeps using the local image when the registry cannot be reached,
    /// <c>never</c> uses local images only.
    /// </summary>
    public static async Task<ImageRecord> ResolveAsync(LocalImages local, string image, string pullPolicy, Func<Task<ImageRecord>> pull, Platform? platform)
    {
        ImageRecord? found = local.Images.TryResolve(image);
        if (found is not null && platform is not null && !IsFor(local.TryConfig(found), platform))
        {
            found = null;
        }

        switch (pullPolicy)
        {
            case "never":
                return found ?? throw SkiffException.NotFound(
                    $"{image}: image not known",
                    $"pull it first with 'skiff pull {image}', or run with --pull missing");
            case "missing":
                return found ?? await pull();
            case "newer" when found is not null:
                try
                {
                    return await pull();
                }
                catch (SkiffException)
                {
                    return found;
                }

            default:
                if (found is not null && found.Id.AsSpan(7).StartsWith(image.StartsWith("sha256:", StringComparison.Ordinal) ? image[7..] : image, StringComparison.Ordinal))
                {
                    // An image id names nothing a registry could serve.
                    return found;
                }

                return await pull();
        }
    }

    /// <summary>Whether an image's configuration says it is for <paramref name="platform"/> (a variant only counts when both name one).</summary>
    private static bool IsFor(ImageConfig? config, Platform platform)
    {
        if (config is null)
        {
            return false;
        }

        Platform image = Skiff.Images.Registry.PlatformSelector.Normalize(new Platform { Os = config.Os, Architecture = config.Architecture, Variant = config.Variant });
        Platform wanted = Skiff.Images.Registry.PlatformSelector.Normalize(platform);
        return image.Os == wanted.Os && image.Architecture == wanted.Architecture
            && (wanted.Variant is null || image.Variant is null || image.Variant == wanted.Variant);
    }
}

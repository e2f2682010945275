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
    public ContainerImage Prepare(string image, string snapshotDirectory)
    {
        LocalImages local = ImageServices.Local(context);
        ImageRecord record = Resolve(local, image);
        ImageConfig config = local.Config(record);
        LayerStore layers = StorageServices.Layers(context);
        using IDisposable inUse = layers.HoldForUse();
        if (local.Unpacker is ILayerUnpacker unpacker)
        {
            // Layers may be missing after a crash or a prune; unpacking is idempotent.
            unpacker.UnpackAsync(local.Manifest(record), config).GetAwaiter().GetResult();
        }

        ISnapshotter snapshotter = StorageServices.Snapshotter(context, layers);
        IReadOnlyList<MountSpec> mounts;
        try
        {
            mounts = snapshotter.PrepareWritable(StorageServices.ChainIdsOf(record.DiffIds), snapshotDirectory);
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
            defaults?.ExposedPorts?.Keys.ToList() ?? []);
    }

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

    /// <summary>Only local images for now: run does not pull (the README lists it under known limits).</summary>
    private static ImageRecord Resolve(LocalImages local, string image)
    {
        return local.Images.TryResolve(image) ?? throw SkiffException.NotFound(
            $"{image}: image not known",
            $"pull it first with 'skiff pull {image}', or load/import it");
    }
}

using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Commands.Images;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Images.Files;
using Skiff.Images.Local;
using Skiff.Images.Snapshots;
using Skiff.Images.Store;
using Skiff.Images.Unpack;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Volumes;

namespace Skiff.Cli.Commands.System;

/// <summary>
/// What <c>system df</c> measures: every image (with the bytes of layers it shares with other images), every
/// container's writable layer, every volume's data. Writable layers and volumes are container-owned trees, walked
/// as <see cref="SnapshotUsage"/> walks them (never following a symlink, staying below the root).
/// </summary>
public sealed class DiskUsage
{
    public sealed record Image(ImageRecord Record, long Size, long SharedSize, int Containers);

    public sealed record Container(ContainerConfig Config, ContainerState State, long Size, int LocalVolumes);

    public sealed record Volume(VolumeRecord Record, int Links, long Size);

    public required IReadOnlyList<Image> Images { get; init; }

    public required IReadOnlyList<Container> Containers { get; init; }

    public required IReadOnlyList<Volume> Volumes { get; init; }

    public static DiskUsage Measure(CliContext context)
    {
        ContainerStore store = ContainerServices.Store(context);
        var observer = new StateObserver(TimeProvider.System);
        var reader = new SmallFileReader();
        var containers = new List<Container>();
        foreach (string id in store.ListIds())
        {
            try
            {
                if (store.TryReadState(id, reader) is not { } recorded || store.TryReadListing(id, reader) is not { } config)
                {
                    continue; // Removed while we listed.
                }

                long size = SnapshotUsage.WritableBytes(store.SnapshotDirectory(id));
                int volumes = config.Mounts.Count(m => m.Type == "volume");
                containers.Add(new Container(config, observer.Observe(recorded), size, volumes));
            }
            catch (SkiffException)
            {
                // Unreadable or half-removed: left out, as ps leaves it out.
            }
        }

        containers.Sort((a, b) => b.Config.Created.CompareTo(a.Config.Created));

        LocalImages local = ImageServices.Local(context);
        LayerStore layers = StorageServices.Layers(context);
        IReadOnlyList<ImageRecord> records = local.Images.List();
        var chains = records.ToDictionary(r => r.Id, r => StorageServices.ChainIdsOf(r.DiffIds), StringComparer.Ordinal);
        var layerUsers = new Dictionary<Digest, int>();
        foreach (Digest chainId in chains.Values.SelectMany(c => c.Distinct()))
        {
            layerUsers[chainId] = layerUsers.GetValueOrDefault(chainId) + 1;
        }

        var layerSizes = new Dictionary<Digest, long>();
        long LayerSize(Digest chainId)
        {
            if (!layerSizes.TryGetValue(chainId, out long size))
            {
                size = layers.TryGet(chainId)?.Size ?? 0;
                layerSizes[chainId] = size;
            }

            return size;
        }

        var images = records
            .Select(r => new Image(
                r,
                r.Size,
                chains[r.Id].Distinct().Where(c => layerUsers[c] > 1).Sum(LayerSize),
                containers.Count(c => c.Config.ImageId is { } used && (used == r.Id || "sha256:" + used == r.Id))))
            .OrderByDescending(i => i.Record.Created)
            .ToList();

        VolumeStore volumeStore = ContainerServices.Volumes(context);
        var mounts = containers
            .SelectMany(c => c.Config.Mounts.Where(m => m.Type == "volume" && m.Name is not null).Select(m => m.Name!).Distinct())
            .GroupBy(n => n, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var volumesMeasured = volumeStore.List()
            .Select(v => new Volume(v, mounts.GetValueOrDefault(v.Name), VolumeBytes(volumeStore.DataPath(v.Name))))
            .ToList();
        return new DiskUsage { Images = images, Containers = containers, Volumes = volumesMeasured };
    }

    public IReadOnlyList<DiskUsageSummary> Summary() =>
        [
            DiskUsageSummary.Of("Images", Images.Select(i => (i.Size, i.Containers > 0)).ToList()),
            DiskUsageSummary.Of("Containers", Containers.Select(c => (c.Size, c.State.Running)).ToList()),
            DiskUsageSummary.Of("Local Volumes", Volumes.Select(v => (v.Size, v.Links > 0)).ToList()),
        ];

    private static long VolumeBytes(string path)
    {
        try
        {
            using DirectoryHandle data = DirectoryHandle.Open(path);
            return SnapshotUsage.TreeBytes(data);
        }
        catch (SystemCallException e) when (e.Errno is Errnos.ENOENT or Errnos.ENOTDIR)
        {
            return 0;
        }
    }
}

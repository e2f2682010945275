using System.Text.Json;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Core.Files;

namespace Skiff.Images.Snapshots;

/// <summary>
/// <c>image mount</c>/<c>image unmount</c>: a read-only view of an image at
/// <c>&lt;root&gt;/image-mounts/&lt;id&gt;/merged</c>, with a mount counter in the runroot as podman keeps one.
/// The runroot state is checked against the real mount table, so a record left by a reboot or by
/// another mount namespace (a finished <c>skiff unshare</c>) is simply mounted again.
/// </summary>
public sealed class ImageMounts(string storeRoot, string runRoot, ISnapshotter snapshotter, SnapshotMounter mounter)
{
    private string StateDirectory => Path.Combine(runRoot, "image-mounts");

    public string MountPointOf(Digest imageId) => Path.Combine(storeRoot, "image-mounts", imageId.Hex, "merged");

    public async Task<string> MountAsync(Digest imageId, IReadOnlyList<Digest> chainIds, CancellationToken cancellationToken = default)
    {
        using FileLock held = FileLock.Acquire(LockPath(imageId));
        string merged = MountPointOf(imageId);
        ImageMountRecord? record = Read(imageId);
        if (record is not null && KernelMounts.IsMountPoint(merged))
        {
            Write(imageId, record with { Count = record.Count + 1 });
            return merged;
        }

        string snapshotDirectory = Path.Combine(storeRoot, "image-mounts", imageId.Hex, "snapshot");
        var mounts = snapshotter.PrepareView(chainIds, snapshotDirectory);
        await mounter.MountAsync(mounts, merged, cancellationToken).ConfigureAwait(false);
        Write(imageId, new ImageMountRecord { ImageId = imageId.Value, MountPoint = merged, Driver = snapshotter.Name, Count = 1 });
        return merged;
    }

    /// <summary>Decrements the counter and unmounts at zero (or at once with <paramref name="force"/>). False when the image was not mounted.</summary>
    public bool Unmount(Digest imageId, bool force)
    {
        using FileLock held = FileLock.Acquire(LockPath(imageId));
        string merged = MountPointOf(imageId);
        ImageMountRecord? record = Read(imageId);
        bool mounted = KernelMounts.IsMountPoint(merged);
        if (!mounted)
        {
            Delete(imageId);
            return false;
        }

        if (record is not null && record.Count > 1 && !force)
        {
            Write(imageId, record with { Count = record.Count - 1 });
            return true;
        }

        mounter.Unmount(merged);
        snapshotter.Remove(Path.Combine(storeRoot, "image-mounts", imageId.Hex, "snapshot"));
        Delete(imageId);
        return true;
    }

    /// <summary>Images mounted in this mount namespace.</summary>
    public IReadOnlyList<ImageMountRecord> List()
    {
        var records = new List<ImageMountRecord>();
        if (!Directory.Exists(StateDirectory))
        {
            return records;
        }

        foreach (string file in Directory.EnumerateFiles(StateDirectory, "*.json"))
        {
            if (Digest.TryParse("sha256:" + Path.GetFileNameWithoutExtension(file), out Digest id)
                && Read(id) is { } record && KernelMounts.IsMountPoint(record.MountPoint))
            {
                records.Add(record);
            }
        }

        return records;
    }

    private ImageMountRecord? Read(Digest imageId)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(StatePath(imageId)), SnapshotJsonContext.Default.ImageMountRecord);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void Write(Digest imageId, ImageMountRecord record) =>
        AtomicFile.WriteAllBytes(StatePath(imageId), JsonSerializer.SerializeToUtf8Bytes(record, SnapshotJsonContext.Default.ImageMountRecord));

    private void Delete(Digest imageId)
    {
        try
        {
            File.Delete(StatePath(imageId));
        }
        catch (IOException e)
        {
            throw SkiffException.Internal($"cannot remove mount state of {imageId}", e);
        }
    }

    private string StatePath(Digest imageId) => Path.Combine(StateDirectory, imageId.Hex + ".json");

    private string LockPath(Digest imageId) => Path.Combine(StateDirectory, imageId.Hex + ".lock");
}

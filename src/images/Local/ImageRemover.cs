using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Images.References;
using Skiff.Images.Store;

namespace Skiff.Images.Local;

/// <summary>
/// <c>skiff rmi</c> with docker's rules: removing by name untags that name and deletes the image only
/// when it was its last name; removing by id deletes the image, which needs <c>-f</c> when it has several
/// names. An image a container uses is never removed. Every target is tried; errors are collected.
/// </summary>
public sealed class ImageRemover(LocalImages local, IImageUsers users)
{
    public RemovalReport Remove(IReadOnlyList<string> targets, bool force)
    {
        var report = new RemovalReport();
        var removed = new List<ImageRecord>();
        var manifests = new List<ManifestOrNull>();
        var collector = new ImageGarbageCollector(local);
        using (local.Images.Lock())
        {
            foreach (string target in targets)
            {
                try
                {
                    ImageRecord? deleted = RemoveOne(target, force, report, collector, manifests);
                    if (deleted is not null)
                    {
                        removed.Add(deleted);
                    }
                }
                catch (SkiffException e)
                {
                    report.Errors.Add((target, e));
                }
            }

            if (removed.Count > 0)
            {
                report.FreedBytes = collector.Collect(removed, manifests);
            }
        }

        return report;
    }

    /// <summary>Deletes whole images (prune): no untag rules, but still never one a container uses.</summary>
    public RemovalReport Delete(IReadOnlyList<ImageRecord> images)
    {
        var report = new RemovalReport();
        var removed = new List<ImageRecord>();
        var manifests = new List<ManifestOrNull>();
        var collector = new ImageGarbageCollector(local);
        using (local.Images.Lock())
        {
            foreach (ImageRecord image in images)
            {
                if (users.ContainersUsing(image.Id).Count > 0 || local.Images.TryGet(Digest.Parse(image.Id)) is null)
                {
                    continue;
                }

                manifests.Add(collector.Capture(image));
                DeleteRecord(image, report);
                removed.Add(image);
            }

            if (removed.Count > 0)
            {
                report.FreedBytes = collector.Collect(removed, manifests);
            }
        }

        return report;
    }

    private ImageRecord? RemoveOne(string target, bool force, RemovalReport report, ImageGarbageCollector collector, List<ManifestOrNull> manifests)
    {
        ImageRecord image = local.Resolve(target);
        string? name = NameGiven(target, image);
        IReadOnlyList<string> containers = users.ContainersUsing(image.Id);

        if (name is not null && image.Names.Count > 1)
        {
            // One of several names: only that name goes, containers keep the image by id.
            local.Images.Put(image with { Names = image.Names.Where(n => n != name).ToList() });
            report.Lines.Add($"Untagged: {name}");
            return null;
        }

        if (containers.Count > 0)
        {
            report.InUse.Add(target);
            throw SkiffException.Conflict(
                $"image {Digest.Parse(image.Id).Short} is in use by container {string.Join(", ", containers)}",
                "remove the container first (skiff rm), then the image");
        }

        if (name is null && image.Names.Count > 1 && !force)
        {
            throw SkiffException.Conflict(
                $"unable to delete {Digest.Parse(image.Id).Short} (must be forced) - image is referenced in multiple repositories",
                "remove it by name, or use --force to remove every name");
        }

        manifests.Add(collector.Capture(image));
        DeleteRecord(image, report);
        return image;
    }

    private void DeleteRecord(ImageRecord image, RemovalReport report)
    {
        foreach (string name in image.Names)
        {
            report.Lines.Add($"Untagged: {name}");
        }

        foreach (string digest in image.Digests)
        {
            report.Lines.Add($"Untagged: {digest}");
        }

        local.Images.Remove(Digest.Parse(image.Id));
        report.Lines.Add($"Deleted: {image.Id}");
        report.DeletedIds.Add(image.Id);
    }

    /// <summary>The stored name the user meant when the target is a name (not an id or a digest), else null.</summary>
    private static string? NameGiven(string target, ImageRecord image)
    {
        string hex = target.StartsWith("sha256:", StringComparison.Ordinal) ? target[7..] : target;
        if (image.Id.AsSpan(7).StartsWith(hex, StringComparison.Ordinal) && hex.Length >= 3)
        {
            return null;
        }

        if (!ImageReference.TryParse(target, out ImageReference? reference, out _) || reference.Digest is not null)
        {
            return null;
        }

        string tag = reference.TagOrDefault ?? ImageReference.DefaultTag;
        if (!reference.IsShortName)
        {
            return image.Names.FirstOrDefault(n => n == reference.NameWithTag);
        }

        string[] preferred = [$"{ImageReference.LocalRegistry}/{reference.Repository}:{tag}", $"{reference.WithRegistry(ImageReference.DockerHub).Name}:{tag}"];
        return image.Names.FirstOrDefault(preferred.Contains)
            ?? image.Names.FirstOrDefault(n => n.EndsWith($"/{reference.Repository}:{tag}", StringComparison.Ordinal));
    }
}

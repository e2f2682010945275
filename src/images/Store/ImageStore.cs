using System.Text.Json;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Core.Files;
using Skiff.Images.References;

namespace Skiff.Images.Store;

/// <summary>
/// Image records, one JSON file each under <c>&lt;root&gt;/images/&lt;id-hex&gt;.json</c>, written atomically.
/// Readers need no lock; writers hold <see cref="Lock"/> around read-modify-write so that concurrent
/// skiff processes never lose a tag. A name belongs to one image at a time: adding it elsewhere moves it.
/// </summary>
public sealed class ImageStore
{
    private readonly string directory;
    private readonly string lockPath;

    public ImageStore(string storeRoot)
    {
        directory = Path.Combine(storeRoot, "images");
        lockPath = Path.Combine(storeRoot, "images.lock");
    }

    /// <summary>Exclusive lock for changes to image records.</summary>
    public FileLock Lock() => FileLock.Acquire(lockPath);

    public IReadOnlyList<ImageRecord> List()
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var records = new List<ImageRecord>();
        foreach (string file in Directory.EnumerateFiles(directory, "*.json"))
        {
            ImageRecord? record = Read(file);
            if (record is not null)
            {
                records.Add(record);
            }
        }

        return records;
    }

    public ImageRecord? TryGet(Digest id) => Read(PathOf(id));

    /// <summary>
    /// Finds a local image by full or abbreviated id, by name (short names match localhost/ and docker.io
    /// first, then any registry, as podman does for local lookups) or by <c>name@digest</c>.
    /// </summary>
    public ImageRecord? TryResolve(string nameOrId)
    {
        IReadOnlyList<ImageRecord> records = List();
        string idText = nameOrId.StartsWith("sha256:", StringComparison.Ordinal) ? nameOrId[7..] : nameOrId;
        if (idText.Length >= 3 && idText.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')))
        {
            var byId = records.Where(r => r.Id.AsSpan(7).StartsWith(idText, StringComparison.Ordinal)).ToList();
            if (byId.Count == 1)
            {
                return byId[0];
            }

            if (byId.Count > 1)
            {
                throw SkiffException.Conflict($"image id prefix \"{idText}\" is ambiguous", "give more characters of the id");
            }
        }

        if (!ImageReference.TryParse(nameOrId, out ImageReference? reference, out _))
        {
            return null;
        }

        if (reference.Digest is Digest digest)
        {
            return records.FirstOrDefault(r => r.ManifestDigest == digest.Value && NameMatches(r.Digests.Select(d => d.Split('@')[0]), reference))
                ?? records.FirstOrDefault(r => r.ManifestDigest == digest.Value || r.Id == digest.Value);
        }

        if (reference.IsShortName && reference.Digest is null)
        {
            // podman's order: localhost/NAME, then docker.io's, and only then any other registry's NAME, whatever
            // order the records are listed in (an imported busybox is not shadowed by a pulled REGISTRY/x/busybox).
            string tagged = ":" + (reference.TagOrDefault ?? ImageReference.DefaultTag);
            foreach (string preferred in PreferredNames(reference))
            {
                if (records.FirstOrDefault(r => r.Names.Contains(preferred + tagged)) is ImageRecord found)
                {
                    return found;
                }
            }
        }

        return records.FirstOrDefault(r => NameMatches(r.Names, reference));
    }

    /// <summary>Adds or replaces a record, taking its names away from any other image. Caller holds <see cref="Lock"/>.</summary>
    public void Put(ImageRecord record)
    {
        foreach (ImageRecord other in List())
        {
            if (other.Id == record.Id)
            {
                continue;
            }

            var kept = other.Names.Where(n => !record.Names.Contains(n)).ToList();
            if (kept.Count != other.Names.Count)
            {
                Write(other with { Names = kept });
            }
        }

        Write(record);
    }

    /// <summary>Removes an image record. Caller holds <see cref="Lock"/>.</summary>
    public bool Remove(Digest id)
    {
        string path = PathOf(id);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    /// <summary>
    /// The name of <paramref name="record"/> that <paramref name="nameOrId"/> (which resolved to it) stands for,
    /// as podman records it for a container: <c>busybox</c> is <c>localhost/busybox:latest</c>, an id is the
    /// image's first name; null for a digest reference or an image without names.
    /// </summary>
    public static string? ResolvedName(ImageRecord record, string nameOrId)
    {
        if (!ImageReference.TryParse(nameOrId, out ImageReference? reference, out _))
        {
            return record.Names.FirstOrDefault();
        }

        if (reference.Digest is not null)
        {
            return null;
        }

        return record.Names.FirstOrDefault(n => NameMatches([n], reference)) ?? record.Names.FirstOrDefault();
    }

    private static bool NameMatches(IEnumerable<string> names, ImageReference reference)
    {
        string tag = reference.TagOrDefault ?? ImageReference.DefaultTag;
        if (!reference.IsShortName)
        {
            return reference.Digest is null ? names.Contains($"{reference.Name}:{tag}") : names.Contains(reference.Name);
        }

        string[] preferred = PreferredNames(reference);
        foreach (string name in names)
        {
            string untagged = reference.Digest is null ? StripTag(name, tag) ?? string.Empty : name;
            if (untagged.Length > 0 && (preferred.Contains(untagged) || untagged.EndsWith("/" + reference.Repository, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The names a short name stands for first, in podman's order: localhost/, then docker.io.</summary>
    private static string[] PreferredNames(ImageReference reference) =>
    [
        $"{ImageReference.LocalRegistry}/{reference.Repository}",
        reference.WithRegistry(ImageReference.DockerHub).Name,
    ];

    private static string? StripTag(string name, string tag) =>
        name.EndsWith(":" + tag, StringComparison.Ordinal) ? name[..^(tag.Length + 1)] : null;

    private string PathOf(Digest id) => Path.Combine(directory, id.Hex + ".json");

    private void Write(ImageRecord record) =>
        AtomicFile.WriteAllBytes(PathOf(Digest.Parse(record.Id)), JsonSerializer.SerializeToUtf8Bytes(record, StoreJsonContext.Default.ImageRecord));

    private static ImageRecord? Read(string path)
    {
        try
        {
            return ImageRecordJsonReader.Read(File.ReadAllBytes(path));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException)
        {
            // A record is written atomically, so this is foreign damage: ignore it rather than break every command.
            return null;
        }
    }
}

using System.Formats.Tar;
using Skiff.Core.Errors;

namespace Skiff.Images.Archives;

/// <summary>
/// An image archive read once from a (possibly compressed, possibly piped) tar into a private temp
/// directory. Entry names are only keys: each file is stored as a numbered temp file, so hostile names
/// (<c>../x</c>, absolute paths) can never place anything outside. Symlinks and hardlinks between entries
/// (docker uses them for repeated layers) are followed inside the archive only.
/// </summary>
public sealed class ExtractedArchive : IDisposable
{
    private const int MaxLinkDepth = 16;
    private readonly string directory;
    private readonly Dictionary<string, string> files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> links = new(StringComparer.Ordinal);

    private ExtractedArchive(string directory) => this.directory = directory;

    public static async Task<ExtractedArchive> ReadAsync(Stream source, string temporaryDirectory, CancellationToken cancellationToken)
    {
        string directory = Path.Combine(temporaryDirectory, $"load-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var archive = new ExtractedArchive(directory);
        try
        {
            await using Stream plain = ArchiveCompression.Decompress(source);
            await using var reader = new TarReader(plain, leaveOpen: true);
            TarEntry? entry;
            int count = 0;
            while ((entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false)) is not null)
            {
                string? name = Normalize(entry.Name);
                if (name is null)
                {
                    continue;
                }

                switch (entry.EntryType)
                {
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        string path = Path.Combine(directory, (count++).ToString(System.Globalization.CultureInfo.InvariantCulture));
                        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                        {
                            if (entry.DataStream is not null)
                            {
                                await entry.DataStream.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                            }
                        }

                        archive.files[name] = path;
                        break;
                    case TarEntryType.SymbolicLink:
                        string target = entry.LinkName.StartsWith('/') ? entry.LinkName : (Path.GetDirectoryName(name) is { Length: > 0 } parent ? parent + "/" : string.Empty) + entry.LinkName;
                        if (Normalize(target) is { } linkTarget)
                        {
                            archive.links[name] = linkTarget;
                        }

                        break;
                    case TarEntryType.HardLink:
                        if (Normalize(entry.LinkName) is { } hardTarget)
                        {
                            archive.links[name] = hardTarget;
                        }

                        break;
                }
            }
        }
        catch (InvalidDataException e)
        {
            archive.Dispose();
            throw SkiffException.InvalidArgument($"the archive is not a valid tar file: {e.Message}", "load reads docker-archive and oci-archive files (skiff save, docker save, podman save), plain or gzip/zstd/xz/bzip2 compressed");
        }
        catch
        {
            archive.Dispose();
            throw;
        }

        return archive;
    }

    public bool Contains(string name) => Resolve(name) is not null;

    public FileStream Open(string name)
    {
        string path = Resolve(name) ?? throw SkiffException.InvalidArgument($"the archive has no file \"{name}\"");
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    public byte[] ReadAllBytes(string name, long maxSize = 4 << 20)
    {
        using FileStream stream = Open(name);
        if (stream.Length > maxSize)
        {
            throw SkiffException.InvalidArgument($"\"{name}\" in the archive is {stream.Length} bytes, over the {maxSize} byte limit for metadata");
        }

        byte[] data = new byte[stream.Length];
        stream.ReadExactly(data);
        return data;
    }

    private string? Resolve(string name)
    {
        string? current = Normalize(name);
        for (int depth = 0; current is not null && depth < MaxLinkDepth; depth++)
        {
            if (files.TryGetValue(current, out string? path))
            {
                return path;
            }

            current = links.TryGetValue(current, out string? target) ? target : null;
        }

        return null;
    }

    /// <summary>A canonical key: no leading ./ or /, no empty or . components; null for names that climb with ../.</summary>
    private static string? Normalize(string name)
    {
        var parts = new List<string>();
        foreach (string part in name.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return parts.Count == 0 ? null : string.Join('/', parts);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}

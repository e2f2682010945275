using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Core.Files;

namespace Skiff.Images.Content;

/// <summary>
/// Content-addressed blobs under <c>&lt;root&gt;/blobs/&lt;algorithm&gt;/&lt;hex&gt;</c>. A blob appears under its
/// name only after its size and digest were verified and it was fsynced (write to ingest/, verify,
/// rename), so readers never see partial content. Partial downloads stay in ingest/ to be resumed;
/// a kill -9 at any point leaves at most a partial file that the next ingest of that digest reuses.
/// </summary>
public sealed class ContentStore
{
    private readonly string blobsDirectory;
    private readonly string ingestDirectory;

    public ContentStore(string storeRoot)
    {
        blobsDirectory = Path.Combine(storeRoot, "blobs");
        ingestDirectory = Path.Combine(storeRoot, "ingest");
    }

    /// <summary>Where a verified blob lives (the digest is validated, so the path cannot escape).</summary>
    public string BlobPath(Digest digest) => Path.Combine(blobsDirectory, digest.Algorithm, digest.Hex);

    public bool Contains(Digest digest) => File.Exists(BlobPath(digest));

    public long? SizeOf(Digest digest)
    {
        var info = new FileInfo(BlobPath(digest));
        return info.Exists ? info.Length : null;
    }

    public FileStream OpenRead(Digest digest)
    {
        try
        {
            return new FileStream(BlobPath(digest), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            throw SkiffException.NotFound($"blob {digest} is not in the store", "pull the image again");
        }
        catch (DirectoryNotFoundException)
        {
            throw SkiffException.NotFound($"blob {digest} is not in the store", "pull the image again");
        }
    }

    /// <summary>Reads a small blob (manifest, config) whole, refusing blobs over <paramref name="maxSize"/>.</summary>
    public byte[] ReadAllBytes(Digest digest, long maxSize = 4 << 20)
    {
        using FileStream stream = OpenRead(digest);
        if (stream.Length > maxSize)
        {
            throw SkiffException.InvalidArgument($"blob {digest} is {stream.Length} bytes, over the {maxSize} byte limit for metadata");
        }

        byte[] data = new byte[stream.Length];
        stream.ReadExactly(data);
        return data;
    }

    /// <summary>Stores a small blob held in memory; verifies it against <paramref name="expected"/> when given.</summary>
    public Digest Write(ReadOnlySpan<byte> data, Digest? expected = null)
    {
        Digest actual = Digest.Sha256Of(data);
        if (expected is Digest e && e != actual)
        {
            throw new SkiffException(ErrorKind.InvalidArgument, $"content digest mismatch: expected {e}, got {actual}");
        }

        string path = BlobPath(actual);
        if (!File.Exists(path))
        {
            AtomicFile.WriteAllBytes(path, data);
        }

        return actual;
    }

    /// <summary>
    /// Starts (or resumes) writing the blob <paramref name="expected"/>. Holds an exclusive lock on the
    /// ingest until disposed, so parallel pulls of one blob wait for each other instead of racing.
    /// </summary>
    public BlobIngest BeginIngest(Digest expected, long expectedSize)
    {
        Directory.CreateDirectory(ingestDirectory);
        string partial = Path.Combine(ingestDirectory, $"{expected.Algorithm}-{expected.Hex}.partial");
        FileLock fileLock = FileLock.Acquire(partial + ".lock");
        try
        {
            return new BlobIngest(expected, expectedSize, partial, BlobPath(expected), fileLock);
        }
        catch
        {
            fileLock.Dispose();
            throw;
        }
    }

    /// <summary>Copies a stream into the store, verifying size and digest.</summary>
    public async Task IngestAsync(Stream source, Digest expected, long expectedSize, CancellationToken cancellationToken = default)
    {
        using BlobIngest ingest = BeginIngest(expected, expectedSize);
        if (ingest.IsComplete)
        {
            return;
        }

        ingest.Reset();
        await ingest.AppendFromAsync(source, cancellationToken).ConfigureAwait(false);
        ingest.Commit();
    }

    public bool Delete(Digest digest)
    {
        string path = BlobPath(digest);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    public IEnumerable<Digest> List()
    {
        if (!Directory.Exists(blobsDirectory))
        {
            yield break;
        }

        foreach (string algorithmDir in Directory.EnumerateDirectories(blobsDirectory))
        {
            string algorithm = Path.GetFileName(algorithmDir);
            foreach (string file in Directory.EnumerateFiles(algorithmDir))
            {
                if (Digest.TryParse($"{algorithm}:{Path.GetFileName(file)}", out Digest digest))
                {
                    yield return digest;
                }
            }
        }
    }

    /// <summary>Partial downloads in ingest/ (resumable, or left by a killed pull): file name, bytes, last write.</summary>
    public IReadOnlyList<(string Name, long Size, DateTime Modified)> Partials() => !Directory.Exists(ingestDirectory) ? []
        : new DirectoryInfo(ingestDirectory).EnumerateFiles("*.partial").Select(f => (f.Name, f.Length, f.LastWriteTimeUtc)).ToList();

    /// <summary>Ingest lock files whose partial download is gone (every finished download leaves one).</summary>
    public IReadOnlyList<string> StaleIngestLocks() => !Directory.Exists(ingestDirectory) ? []
        : Directory.EnumerateFiles(ingestDirectory, "*.lock").Select(Path.GetFileName).OfType<string>()
            .Where(n => !File.Exists(Path.Combine(ingestDirectory, n[..^".lock".Length])))
            .ToList();

    /// <summary>Temp files of interrupted atomic writes among the blobs (<c>.NAME.PID.GUID.tmp</c>).</summary>
    public IReadOnlyList<string> TempFiles() => !Directory.Exists(blobsDirectory) ? []
        : Directory.EnumerateFiles(blobsDirectory, ".*.tmp", SearchOption.AllDirectories).ToList();

    /// <summary>
    /// Deletes a file in ingest/ by name (a partial or a lock). Only for a caller that knows nobody is
    /// ingesting: the store-wide exclusive hold of the layer store, which every writer shares.
    /// </summary>
    public void RemoveIngestFile(string name)
    {
        if (!name.Contains('/', StringComparison.Ordinal) && (name.EndsWith(".partial", StringComparison.Ordinal) || name.EndsWith(".lock", StringComparison.Ordinal)))
        {
            File.Delete(Path.Combine(ingestDirectory, name));
        }
    }

    /// <summary>True when the stored blob hashes to its name (a torn or tampered blob does not).</summary>
    public bool Verify(Digest digest)
    {
        using FileStream stream = OpenRead(digest);
        return Digest.FromSha256Hash(System.Security.Cryptography.SHA256.HashData(stream)) == digest;
    }

    /// <summary>Removes partial downloads nobody is writing (left by a killed pull).</summary>
    public void CleanIngest(TimeSpan olderThan)
    {
        if (!Directory.Exists(ingestDirectory))
        {
            return;
        }

        foreach (string partial in Directory.EnumerateFiles(ingestDirectory, "*.partial"))
        {
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(partial) < olderThan)
            {
                continue;
            }

            using FileLock? held = FileLock.TryAcquire(partial + ".lock");
            if (held is not null)
            {
                File.Delete(partial);
            }
        }
    }
}

using System.Security.Cryptography;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Core.Files;

namespace Skiff.Images.Content;

/// <summary>
/// One blob being written: append bytes (possibly across resumed connections), then
/// <see cref="Commit"/> verifies size and digest and publishes the blob. Disposing without commit keeps
/// the partial file for a later resume and releases the lock.
/// </summary>
public sealed class BlobIngest : IDisposable
{
    private const int BufferSize = 1 << 17;
    private readonly string partialPath;
    private readonly string blobPath;
    private readonly FileLock fileLock;
    private readonly FileStream? stream;
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool discarded;

    internal BlobIngest(Digest expected, long expectedSize, string partialPath, string blobPath, FileLock fileLock)
    {
        if (expected.Algorithm != "sha256")
        {
            throw SkiffException.InvalidArgument($"unsupported digest algorithm {expected.Algorithm}", "skiff verifies sha256 content only");
        }

        if (expectedSize < 0)
        {
            throw SkiffException.InvalidArgument($"invalid size {expectedSize} for blob {expected}");
        }

        Expected = expected;
        ExpectedSize = expectedSize;
        this.partialPath = partialPath;
        this.blobPath = blobPath;
        this.fileLock = fileLock;
        if (File.Exists(blobPath))
        {
            IsComplete = true;
            return;
        }

        stream = new FileStream(partialPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, BufferSize, FileOptions.None);
        if (stream.Length > expectedSize)
        {
            stream.SetLength(0);
        }

        // Re-hash what an earlier attempt left, so the final digest covers every byte.
        byte[] buffer = new byte[BufferSize];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        Offset = stream.Length;
    }

    public Digest Expected { get; }

    public long ExpectedSize { get; }

    /// <summary>True when the blob was already in the store: nothing to write.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>Bytes already written; a download resumes from here (HTTP Range).</summary>
    public long Offset { get; private set; }

    /// <summary>Drops what was written so far (when a server ignores a Range request).</summary>
    public void Reset()
    {
        EnsureWritable();
        stream!.SetLength(0);
        stream.Position = 0;
        hash.GetHashAndReset();
        Offset = 0;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        EnsureWritable();
        if (Offset + data.Length > ExpectedSize)
        {
            throw new SkiffException(ErrorKind.InvalidArgument, $"blob {Expected} is larger than the {ExpectedSize} bytes its descriptor declares");
        }

        stream!.Write(data);
        hash.AppendData(data);
        Offset += data.Length;
    }

    /// <summary>Appends everything from <paramref name="source"/>; reports progress in bytes written so far.</summary>
    public async Task AppendFromAsync(Stream source, CancellationToken cancellationToken, IProgress<long>? progress = null)
    {
        byte[] buffer = new byte[BufferSize];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            Append(buffer.AsSpan(0, read));
            progress?.Report(Offset);
        }
    }

    /// <summary>Verifies size and digest, then atomically publishes the blob. A digest mismatch deletes the partial file; the ingest is unusable after.</summary>
    public void Commit()
    {
        if (IsComplete)
        {
            return;
        }

        EnsureWritable();
        if (Offset != ExpectedSize)
        {
            throw new SkiffException(ErrorKind.Unavailable, $"blob {Expected} is incomplete: got {Offset} of {ExpectedSize} bytes");
        }

        Digest actual = Digest.FromSha256Hash(hash.GetCurrentHash());
        if (actual != Expected)
        {
            // Wrong bytes are useless for a resume: drop the partial file rather than leave it behind.
            stream!.SetLength(0);
            Offset = 0;
            hash.GetHashAndReset();
            discarded = true;
            File.Delete(partialPath);
            throw new SkiffException(ErrorKind.InvalidArgument, $"blob digest mismatch: expected {Expected}, got {actual}", "the registry served wrong content; try again or report it to the registry's owner");
        }

        stream!.Flush(flushToDisk: true);
        string directory = Path.GetDirectoryName(blobPath)!;
        Directory.CreateDirectory(directory);
        File.Move(partialPath, blobPath, overwrite: true);
        AtomicFile.SyncDirectory(directory);
        IsComplete = true;
    }

    public void Dispose()
    {
        stream?.Dispose();
        hash.Dispose();
        fileLock.Dispose();
    }

    private void EnsureWritable()
    {
        if (IsComplete || stream is null || discarded)
        {
            throw new InvalidOperationException(discarded ? "the blob's content was discarded" : "the blob is already complete");
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Images.Content;
using Skiff.Images.Manifests;

namespace Skiff.Images.Registry;

/// <summary>
/// The OCI distribution API for one repository over a <see cref="RegistrySession"/>: manifests by tag or
/// digest, blobs streamed into the <see cref="ContentStore"/> (which verifies size and digest before
/// anything can use them) and resumed with Range after a dropped connection, and the push side
/// (HEAD, cross-repository mount, monolithic or chunked upload, manifest PUT).
/// </summary>
public sealed class DistributionClient(RegistrySession session, string repository)
{
    /// <summary>Blobs up to this size go up in one PUT; larger ones in PATCH chunks of this size.</summary>
    public const int ChunkSize = 8 * 1024 * 1024;

    public static readonly string[] ManifestAccept =
    [
        MediaTypes.OciIndex, MediaTypes.OciManifest, MediaTypes.DockerManifestList, MediaTypes.DockerManifest,
    ];

    /// <summary>A read that stalls this long counts as a dropped connection (then resumed).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public string Repository => repository;

    public RegistrySession Session => session;

    private string Source => $"{session.Endpoint.Registry}/{repository}";

    public async Task<ManifestDocument> GetManifestAsync(string reference, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await session.SendAsync(uri =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            foreach (string type in ManifestAccept)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            }

            return request;
        }, $"v2/{repository}/manifests/{reference}", cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await RegistryErrors.FromResponseAsync(response, $"reading manifest {reference} in {Source}", cancellationToken).ConfigureAwait(false);
        }

        byte[] bytes;
        try
        {
            bytes = await RegistrySession.ReadLimitedAsync(response, ManifestDocument.MaxSize, $"manifest {reference} in {Source}", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (RetryPolicy.IsTransient(e, cancellationToken))
        {
            throw SkiffException.Unavailable($"reading manifest {reference} in {Source}: {RegistrySession.Describe(e)}", "try again", e);
        }

        ManifestDocument document = ManifestDocument.Parse(bytes, response.Content.Headers.ContentType?.MediaType, Source);
        if (Digest.TryParse(reference, out Digest expected) && expected != document.Digest)
        {
            throw SkiffException.InvalidArgument($"manifest {reference} in {Source} has digest {document.Digest}", "the registry served wrong content");
        }

        return document;
    }

    /// <summary>
    /// Downloads a blob into <paramref name="store"/>, resuming after connection failures (bounded);
    /// returns false when the store already had it. Throws on a digest or size mismatch, leaving nothing.
    /// </summary>
    public async Task<bool> DownloadBlobAsync(Descriptor descriptor, ContentStore store, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        Digest digest = descriptor.ParsedDigest;
        using BlobIngest ingest = store.BeginIngest(digest, descriptor.Size);
        if (ingest.IsComplete)
        {
            return false;
        }

        int failures = 0;
        while (ingest.Offset < descriptor.Size || descriptor.Size == 0)
        {
            long before = ingest.Offset;
            try
            {
                await FetchIntoAsync(digest, ingest, progress, cancellationToken).ConfigureAwait(false);
                if (ingest.Offset >= descriptor.Size)
                {
                    break;
                }

                throw new IOException($"connection closed after {ingest.Offset} of {descriptor.Size} bytes");
            }
            catch (Exception e) when (RetryPolicy.IsTransient(e, cancellationToken))
            {
                // Progress resets the budget: a flaky link that keeps moving finishes; a dead one fails.
                failures = ingest.Offset > before ? 1 : failures + 1;
                if (failures >= session.Retry.MaxAttempts)
                {
                    throw SkiffException.Unavailable($"copying blob {digest} from {Source}: {RegistrySession.Describe(e)}", "try again; the download resumes where it stopped", e);
                }

                await session.Retry.WaitAsync(failures - 1, null, cancellationToken).ConfigureAwait(false);
            }
        }

        ingest.Commit();
        return true;
    }

    private async Task FetchIntoAsync(Digest digest, BlobIngest ingest, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        long offset = ingest.Offset;
        using HttpResponseMessage response = await session.SendAsync(uri =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (offset > 0)
            {
                request.Headers.Range = new RangeHeaderValue(offset, null);
            }

            return request;
        }, $"v2/{repository}/blobs/{digest}", cancellationToken).ConfigureAwait(false);

        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && offset > 0)
        {
            ingest.Reset();
            throw new IOException("the registry refused to resume the download");
        }

        if (!response.IsSuccessStatusCode)
        {
            SkiffException error = await RegistryErrors.FromResponseAsync(response, $"copying blob {digest} from {Source}", cancellationToken).ConfigureAwait(false);
            throw error;
        }

        if (offset > 0 && (response.StatusCode != HttpStatusCode.PartialContent || response.Content.Headers.ContentRange?.From != offset))
        {
            // The server sent the whole blob again: start over rather than append a second copy.
            ingest.Reset();
        }

        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        byte[] buffer = new byte[1 << 17];
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (true)
        {
            idle.CancelAfter(IdleTimeout);
            int read = await body.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            ingest.Append(buffer.AsSpan(0, read));
            progress?.Report(ingest.Offset);
        }
    }

    public async Task<bool> BlobExistsAsync(Digest digest, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await session.SendAsync(uri => new HttpRequestMessage(HttpMethod.Head, uri), $"v2/{repository}/blobs/{digest}", cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await RegistryErrors.FromResponseAsync(response, $"checking blob {digest} in {Source}", cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Asks the registry to link a blob it already holds in <paramref name="fromRepository"/>; on refusal returns the upload location it opened instead.</summary>
    public async Task<(bool Mounted, string? UploadLocation)> TryMountBlobAsync(Digest digest, string fromRepository, CancellationToken cancellationToken)
    {
        string path = $"v2/{repository}/blobs/uploads/?mount={Uri.EscapeDataString(digest.Value)}&from={Uri.EscapeDataString(fromRepository)}";
        using HttpResponseMessage response = await session.SendAsync(uri => new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent([]) }, path, cancellationToken, followRedirects: false).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            return (true, null);
        }

        if (response.StatusCode == HttpStatusCode.Accepted && response.Headers.Location is Uri location)
        {
            return (false, location.ToString());
        }

        return (false, null);
    }

    /// <summary>
    /// Uploads a blob: POST for a session, then one PUT (small blobs) or PATCH chunks and a closing PUT
    /// with the digest. <paramref name="open"/> gives a fresh stream for each attempt.
    /// </summary>
    public async Task UploadBlobAsync(Digest digest, long size, Func<Stream> open, string? location, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        location ??= await StartUploadAsync(cancellationToken).ConfigureAwait(false);
        if (size <= ChunkSize)
        {
            byte[] data = await ReadRangeAsync(open, 0, (int)size, cancellationToken).ConfigureAwait(false);
            using HttpResponseMessage put = await session.SendAsync(uri => new HttpRequestMessage(HttpMethod.Put, WithDigest(uri, digest))
            {
                Content = OctetStream(data),
            }, location, cancellationToken, followRedirects: false).ConfigureAwait(false);
            await ExpectAsync(put, HttpStatusCode.Created, $"uploading blob {digest} to {Source}", cancellationToken).ConfigureAwait(false);
            progress?.Report(size);
            return;
        }

        long offset = 0;
        while (offset < size)
        {
            int length = (int)Math.Min(ChunkSize, size - offset);
            byte[] chunk = await ReadRangeAsync(open, offset, length, cancellationToken).ConfigureAwait(false);
            long start = offset;
            using HttpResponseMessage patch = await session.SendAsync(uri =>
            {
                var request = new HttpRequestMessage(HttpMethod.Patch, uri) { Content = OctetStream(chunk) };
                request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + length - 1}");
                return request;
            }, location, cancellationToken, followRedirects: false).ConfigureAwait(false);
            await ExpectAsync(patch, HttpStatusCode.Accepted, $"uploading blob {digest} to {Source}", cancellationToken).ConfigureAwait(false);
            location = patch.Headers.Location?.ToString() ?? location;
            offset += length;
            progress?.Report(offset);
        }

        using HttpResponseMessage close = await session.SendAsync(uri => new HttpRequestMessage(HttpMethod.Put, WithDigest(uri, digest)) { Content = OctetStream([]) }, location, cancellationToken, followRedirects: false).ConfigureAwait(false);
        await ExpectAsync(close, HttpStatusCode.Created, $"uploading blob {digest} to {Source}", cancellationToken).ConfigureAwait(false);
    }

    public async Task<Digest> PutManifestAsync(string reference, byte[] bytes, string mediaType, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await session.SendAsync(uri =>
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return new HttpRequestMessage(HttpMethod.Put, uri) { Content = content };
        }, $"v2/{repository}/manifests/{reference}", cancellationToken, followRedirects: false).ConfigureAwait(false);
        await ExpectAsync(response, HttpStatusCode.Created, $"writing manifest to {Source}:{reference}", cancellationToken).ConfigureAwait(false);
        return Digest.Sha256Of(bytes);
    }

    private async Task<string> StartUploadAsync(CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await session.SendAsync(uri => new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent([]) }, $"v2/{repository}/blobs/uploads/", cancellationToken, followRedirects: false).ConfigureAwait(false);
        await ExpectAsync(response, HttpStatusCode.Accepted, $"starting an upload to {Source}", cancellationToken).ConfigureAwait(false);
        return response.Headers.Location?.ToString()
            ?? throw SkiffException.InvalidArgument($"starting an upload to {Source}: the registry gave no upload location");
    }

    private static Uri WithDigest(Uri location, Digest digest)
    {
        var builder = new UriBuilder(location);
        string query = builder.Query.TrimStart('?');
        builder.Query = (query.Length > 0 ? query + "&" : string.Empty) + "digest=" + Uri.EscapeDataString(digest.Value);
        return builder.Uri;
    }

    private static ByteArrayContent OctetStream(byte[] data)
    {
        var content = new ByteArrayContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    private static async Task<byte[]> ReadRangeAsync(Func<Stream> open, long offset, int length, CancellationToken cancellationToken)
    {
        await using Stream stream = open();
        stream.Seek(offset, SeekOrigin.Begin);
        byte[] data = new byte[length];
        await stream.ReadExactlyAsync(data, cancellationToken).ConfigureAwait(false);
        return data;
    }

    private static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected, string action, CancellationToken cancellationToken)
    {
        if (response.StatusCode != expected && !(response.IsSuccessStatusCode && expected != HttpStatusCode.Accepted))
        {
            throw await RegistryErrors.FromResponseAsync(response, action, cancellationToken).ConfigureAwait(false);
        }
    }
}

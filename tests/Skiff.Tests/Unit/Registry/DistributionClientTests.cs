using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Images.Content;
using Skiff.Images.Manifests;
using Skiff.Images.Registry;
using Skiff.Images.Registry.Auth;

namespace Skiff.Tests.Unit.Registry;

public sealed class DistributionClientTests : IDisposable
{
    private static readonly RetryPolicy NoSleep = new(4, TimeSpan.FromMilliseconds(1), (_, _) => Task.CompletedTask);
    private static readonly RealmPolicy Realms = new((_, _) => Task.FromResult(new[] { IPAddress.Parse("93.184.216.34") }));
    private readonly string storeRoot = Directory.CreateTempSubdirectory("skiff-dist").FullName;
    private readonly byte[] blob = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("layer-bytes-", 5000)));

    public void Dispose() => Directory.Delete(storeRoot, recursive: true);

    private Descriptor BlobDescriptor => new() { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Sha256Of(blob).Value, Size = blob.Length };

    private static RegistrySession Session(FakeRegistryHandler handler, Credentials? credentials = null, bool insecure = false) =>
        new(handler, RegistryEndpoint.For("registry.example", insecure), credentials, [RegistrySession.PullScope("team/app")], NoSleep, Realms);

    private static HttpResponseMessage Ok(byte[] body, HttpStatusCode status = HttpStatusCode.OK) => new(status) { Content = new ByteArrayContent(body) };

    [Fact]
    public async Task Retries_a_500_then_gets_the_blob()
    {
        var handler = new FakeRegistryHandler()
            .Expect(HttpMethod.Get, "/v2/", HttpStatusCode.OK)
            .Expect(HttpMethod.Get, $"/v2/team/app/blobs/{BlobDescriptor.Digest}", HttpStatusCode.InternalServerError)
            .Expect(HttpMethod.Get, $"/v2/team/app/blobs/{BlobDescriptor.Digest}", _ => Ok(blob));
        using RegistrySession session = Session(handler);
        await session.PingAsync(CancellationToken.None);
        var store = new ContentStore(storeRoot);

        Assert.True(await new DistributionClient(session, "team/app").DownloadBlobAsync(BlobDescriptor, store, null, CancellationToken.None));
        Assert.Equal(blob, File.ReadAllBytes(store.BlobPath(Digest.Sha256Of(blob))));
        Assert.True(handler.Done);
    }

    [Fact]
    public async Task Resumes_with_range_after_a_dropped_connection()
    {
        var handler = new FakeRegistryHandler()
            .Expect(HttpMethod.Get, "/v2/", HttpStatusCode.OK)
            .Expect(HttpMethod.Get, $"/v2/team/app/blobs/{BlobDescriptor.Digest}", _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new DroppingStream(blob, 10000)) })
            .Expect(HttpMethod.Get, $"/v2/team/app/blobs/{BlobDescriptor.Digest}", _ =>
            {
                var response = Ok(blob[10000..], HttpStatusCode.PartialContent);
                response.Content.Headers.ContentRange = new ContentRangeHeaderValue(10000, blob.Length - 1, blob.Length);
                return response;
            });
        using RegistrySession session = Session(handler);
        await session.PingAsync(CancellationToken.None);
        var store = new ContentStore(storeRoot);

        await new DistributionClient(session, "team/app").DownloadBlobAsync(BlobDescriptor, store, null, CancellationToken.None);
        Assert.Equal("bytes=10000-", handler.Requests[^1].Range);
        Assert.Equal(blob, File.ReadAllBytes(store.BlobPath(Digest.Sha256Of(blob))));
    }

    [Fact]
    public async Task A_server_ignoring_range_restarts_the_blob_instead_of_appending()
    {
        var handler = new FakeRegistryHandler()
            .Expect(HttpMethod.Get, "/v2/", HttpStatusCode.OK)
            .Expect(HttpMethod.Get, $"/v2/team/app/blobs/{BlobDescriptor.Digest}", _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new DroppingStream(blob, 7000)) })
            .Expect(HttpMethod.Get, $"/v2/team/app/blobs/{BlobDescriptor.Digest}", _ => Ok(blob));
        using RegistrySession session = Session(handler);
        await session.PingAsync(CancellationToken.None);
        var store = new ContentStore(storeRoot);

        await new DistributionClient(session, "team/app").DownloadBlobAsync(BlobDescriptor, store, null, CancellationToken.None);
        Assert.Equal(blob, File.ReadAllBytes(store.BlobPath(Digest.Sha256Of(blob))));
    }

    [Fact]
    public async Task Retries_are_bounded()
    {
        var handler = new FakeRegistryHandler().Expect(HttpMethod.Get, "/v2/", HttpStatusCode.OK);
        for (int i = 0; i < NoSleep.MaxAttempts; i++)
        {
            handler.Expect(HttpMethod.Get, $"/v2/team/app/blobs/{BlobDescriptor.Digest}", HttpStatusCode.ServiceUnavailable);
        }

        using RegistrySession session = Session(handler);
        await session.PingAsync(CancellationToken.None);
        SkiffException e = await Assert.ThrowsAsync<SkiffException>(() => new DistributionClient(session, "team/app").DownloadBlobAsync(BlobDescriptor, new ContentStore(storeRoot), null, CancellationToken.None));
        Assert.Equal(ErrorKind.Unavailable, e.Kind);
        Assert.True(handler.Done);
    }

    [Fact]
    public async Task Wrong_bytes_are_rejected_and_nothing_is_stored()
    {
        byte[] wrong = (byte[])blob.Clone();
        wrong[^1] ^= 1;
        var handler = new FakeRegistryHandler()
            .Expect(HttpMethod.Get, "/v2/", HttpStatusCode.OK)
            .Expect(HttpMethod.Get, $"/v2/team/app/blobs/{BlobDescriptor.Digest}", _ => Ok(wrong));
        using RegistrySession session = Session(handler);
        await session.PingAsync(CancellationToken.None);
        var store = new ContentStore(storeRoot);

        SkiffException e = await Assert.ThrowsAsync<SkiffException>(() => new DistributionClient(session, "team/app").DownloadBlobAsync(BlobDescriptor, store, null, CancellationToken.None));
        Assert.Contains("digest mismatch", e.Message);
        Assert.False(store.Contains(Digest.Sha256Of(blob)));
    }

    [Fact]
    public async Task Bearer_flow_sends_credentials_to_the_realm_and_the_token_to_the_registry_but_not_to_redirects()
    {
        var handler = new FakeRegistryHandler()
            .Expect(HttpMethod.Get, "/v2/", _ => Challenge("Bearer", "realm=\"https://auth.example/token\",service=\"registry.example\""))
            .Expect(HttpMethod.Get, "/token?service=registry.example&scope=repository%3Ateam%2Fapp%3Apull", _ => Ok("{\"token\":\"T0K\"}"u8.ToArray()))
            .Expect(HttpMethod.Get, $"/v2/team/app/blobs/{BlobDescriptor.Digest}", _ =>
            {
                var redirect = new HttpResponseMessage(HttpStatusCode.TemporaryRedirect);
                redirect.Headers.Location = new Uri("https://storage.example/blob?sig=1");
                return redirect;
            })
            .Expect(HttpMethod.Get, "https://storage.example/blob?sig=1", _ => Ok(blob));
        using RegistrySession session = Session(handler, new Credentials("alice", "pw"));
        await session.PingAsync(CancellationToken.None);
        await new DistributionClient(session, "team/app").DownloadBlobAsync(BlobDescriptor, new ContentStore(storeRoot), null, CancellationToken.None);

        Assert.StartsWith("Basic ", handler.Requests[1].Authorization);
        Assert.Equal("Bearer T0K", handler.Requests[2].Authorization);
        Assert.Null(handler.Requests[3].Authorization);
    }

    [Fact]
    public async Task Anonymous_token_when_no_credentials()
    {
        var handler = new FakeRegistryHandler()
            .Expect(HttpMethod.Get, "/v2/", _ => Challenge("Bearer", "realm=\"https://auth.example/token\",service=\"r\""))
            .Expect(HttpMethod.Get, "/token?service=r&scope=repository%3Ateam%2Fapp%3Apull", _ => Ok("{\"access_token\":\"A\"}"u8.ToArray()));
        using RegistrySession session = Session(handler);
        await session.PingAsync(CancellationToken.None);
        Assert.Null(handler.Requests[1].Authorization);
    }

    [Fact]
    public async Task A_plain_http_realm_on_another_host_gets_nothing()
    {
        var handler = new FakeRegistryHandler()
            .Expect(HttpMethod.Get, "/v2/", _ => Challenge("Bearer", "realm=\"http://auth.example/token\",service=\"r\""));
        using RegistrySession session = Session(handler, new Credentials("alice", "pw"));
        SkiffException e = await Assert.ThrowsAsync<SkiffException>(() => session.PingAsync(CancellationToken.None));
        Assert.Equal(ErrorKind.PermissionDenied, e.Kind);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Basic_challenge_without_credentials_asks_for_login()
    {
        var handler = new FakeRegistryHandler().Expect(HttpMethod.Get, "/v2/", _ => Challenge("Basic", "realm=\"x\""));
        using RegistrySession session = Session(handler);
        SkiffException e = await Assert.ThrowsAsync<SkiffException>(() => session.PingAsync(CancellationToken.None));
        Assert.Contains("authentication required", e.Message);
    }

    [Fact]
    public async Task Insecure_registry_falls_back_to_http()
    {
        var handler = new FakeRegistryHandler()
            .Expect(HttpMethod.Get, "https://registry.example/v2/", _ => throw new HttpRequestException(HttpRequestError.SecureConnectionError, "tls"))
            .Expect(HttpMethod.Get, "http://registry.example/v2/", HttpStatusCode.OK);
        using RegistrySession session = Session(handler, insecure: true);
        await session.PingAsync(CancellationToken.None);
        Assert.Equal("http", session.BaseUri.Scheme);
    }

    [Fact]
    public async Task Secure_registry_never_tries_http()
    {
        var handler = new FakeRegistryHandler();
        for (int i = 0; i < NoSleep.MaxAttempts; i++)
        {
            handler.Expect(HttpMethod.Get, "https://registry.example/v2/", _ => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused"));
        }

        using RegistrySession session = Session(handler);
        SkiffException e = await Assert.ThrowsAsync<SkiffException>(() => session.PingAsync(CancellationToken.None));
        Assert.Equal(ErrorKind.Unavailable, e.Kind);
        Assert.DoesNotContain(handler.Requests, r => r.Url.StartsWith("http:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Manifest_by_digest_must_match_its_digest()
    {
        byte[] manifest = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"{{BlobDescriptor.Digest}}","size":1},"layers":[]}""");
        string other = Digest.Sha256Of("x"u8).Value;
        var handler = new FakeRegistryHandler()
            .Expect(HttpMethod.Get, "/v2/", HttpStatusCode.OK)
            .Expect(HttpMethod.Get, $"/v2/team/app/manifests/{other}", _ => Ok(manifest));
        using RegistrySession session = Session(handler);
        await session.PingAsync(CancellationToken.None);
        SkiffException e = await Assert.ThrowsAsync<SkiffException>(() => new DistributionClient(session, "team/app").GetManifestAsync(other, CancellationToken.None));
        Assert.Contains("wrong content", e.Hint);
    }

    private static HttpResponseMessage Challenge(string scheme, string parameters)
    {
        var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue(scheme, parameters));
        return response;
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Registry;

/// <summary>
/// skiff pulls through a <see cref="FaultProxy"/> in front of the real docker-registry, and the proxy breaks
/// one thing at a time. Each fault ends either in a recovery (where a retry is the right answer) or in one
/// clear <c>Error:</c> line with exit 125; either way the store holds no partial image: no record, only
/// verified blobs, at most one resumable partial per layer, nothing else.
/// </summary>
[Collection(RegistryCollection.Name)]
[Trait("Category", "E2E")]
public sealed class RegistryFaultTests(RegistryFixture registry, ITestOutputHelper output)
{
    private const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    [Theory]
    [RootAndRootless]
    public async Task A_500_once_is_retried_and_the_pull_succeeds(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        (OciImage image, string name) = await PushSmallImageAsync(skiff, "fault/500");
        await using FaultProxy proxy = FaultProxy.Start(registry.Address);
        int failures = 0;
        proxy.Fault = async context =>
        {
            if (IsManifestGet(context) && Interlocked.Increment(ref failures) == 1)
            {
                await FaultProxy.RespondAsync(context, 500, Encoding.UTF8.GetBytes("{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"injected\"}]}"), "application/json");
                return true;
            }

            return false;
        };

        ProcessResult pulled = (await Pull(skiff, proxy, name)).AssertSuccess();
        Assert.Equal(image.ConfigDigest["sha256:".Length..], pulled.Stdout.Trim());
        Assert.Equal(2, proxy.Seen.Count(r => r.Method == "GET" && r.Path.Contains("/manifests/", StringComparison.Ordinal)));
        Assert.Single(StoreInspection.ImageRecords(skiff.Sandbox.StorageRoot));
        AssertStoreClean(skiff, expectedImages: 1);
    }

    [Theory]
    [RootAndRootless]
    public async Task A_connection_dropped_mid_blob_resumes_with_range(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        (OciImage image, string name) = await PushSmallImageAsync(skiff, "fault/drop");
        string layer = image.LayerDigests[0];
        await using FaultProxy proxy = FaultProxy.Start(registry.Address);
        int drops = 0;
        proxy.Fault = async context =>
        {
            if (context.Request.HttpMethod == "GET" && context.Request.RawUrl!.EndsWith($"/blobs/{layer}", StringComparison.Ordinal)
                && Interlocked.Increment(ref drops) == 1)
            {
                await proxy.ForwardTruncatedAsync(context, keep: 64 * 1024);
                return true;
            }

            return false;
        };

        ProcessResult pulled = (await Pull(skiff, proxy, name)).AssertSuccess();
        Assert.Equal(image.ConfigDigest["sha256:".Length..], pulled.Stdout.Trim());
        List<SeenRequest> blobGets = proxy.Seen.Where(r => r.Method == "GET" && r.Path.EndsWith($"/blobs/{layer}", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, blobGets.Count);
        Assert.Null(blobGets[0].Range);
        Assert.Equal("bytes=65536-", blobGets[1].Range);
        AssertStoreClean(skiff, expectedImages: 1);
        Assert.Equal(0, StoreInspection.PartialCount(skiff.Sandbox.StorageRoot));
    }

    [Theory]
    [RootAndRootless]
    public async Task Wrong_bytes_for_a_digest_fail_clearly_and_store_nothing(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        (OciImage image, string name) = await PushSmallImageAsync(skiff, "fault/bytes");
        string layer = image.LayerDigests[0];
        await using FaultProxy proxy = FaultProxy.Start(registry.Address);
        proxy.Fault = async context =>
        {
            if (context.Request.HttpMethod == "GET" && context.Request.RawUrl!.EndsWith($"/blobs/{layer}", StringComparison.Ordinal))
            {
                // Same length, one byte changed: only the digest can tell.
                await proxy.ForwardAsync(context, body =>
                {
                    body[body.Length / 2] ^= 0xff;
                    return body;
                });
                return true;
            }

            return false;
        };

        (await Pull(skiff, proxy, name)).AssertError(125, $"blob digest mismatch: expected {layer}");
        AssertStoreClean(skiff, expectedImages: 0);
        Assert.False(File.Exists(Path.Combine(skiff.Sandbox.StorageRoot, "blobs", "sha256", layer["sha256:".Length..])));
        Assert.Equal(0, StoreInspection.PartialCount(skiff.Sandbox.StorageRoot));
    }

    [Fact]
    public async Task A_manifest_over_4_MiB_is_refused()
    {
        using var skiff = new SkiffCli(output, rootless: false);
        (_, string name) = await PushSmallImageAsync(skiff, "fault/huge");
        await using FaultProxy proxy = FaultProxy.Start(registry.Address);
        proxy.Fault = async context =>
        {
            if (IsManifestGet(context))
            {
                // Valid JSON (trailing whitespace), just too big.
                await proxy.ForwardAsync(context, body => [.. body, .. Enumerable.Repeat((byte)' ', 5 << 20)]);
                return true;
            }

            return false;
        };

        (await Pull(skiff, proxy, name)).AssertError(125, "over the 4194304 byte limit");
        AssertStoreClean(skiff, expectedImages: 0);
    }

    [Theory]
    [RootAndRootless]
    public async Task A_digest_with_dot_dot_is_refused_and_nothing_is_created_outside(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        (_, string name) = await PushSmallImageAsync(skiff, "fault/dotdot");
        await using FaultProxy proxy = FaultProxy.Start(registry.Address);
        proxy.Fault = RewriteManifest(proxy, manifest => manifest["layers"]![0]!["digest"] = "sha256:../../x");

        (await Pull(skiff, proxy, name)).AssertError(125, "invalid digest \"sha256:../../x\"");
        AssertStoreClean(skiff, expectedImages: 0);
        Assert.False(proxy.Seen.Any(r => r.Path.Contains("..", StringComparison.Ordinal)), "skiff asked the registry for a path with ..");
        foreach (string directory in new[] { skiff.Sandbox.StorageRoot, Path.Combine(skiff.Sandbox.StorageRoot, "blobs"), skiff.Sandbox.Path, Path.GetDirectoryName(skiff.Sandbox.StorageRoot)! })
        {
            Assert.False(File.Exists(Path.Combine(directory, "x")), $"{directory}/x was created");
        }
    }

    [Fact]
    public async Task An_unknown_media_type_is_refused()
    {
        using var skiff = new SkiffCli(output, rootless: false);
        (_, string name) = await PushSmallImageAsync(skiff, "fault/mediatype");
        await using FaultProxy proxy = FaultProxy.Start(registry.Address);
        proxy.Fault = RewriteManifest(proxy, manifest => manifest["mediaType"] = "application/vnd.example.unknown+json");

        (await Pull(skiff, proxy, name)).AssertError(125, "unsupported manifest media type \"application/vnd.example.unknown+json\"");
        AssertStoreClean(skiff, expectedImages: 0);
    }

    [Fact]
    public async Task An_unknown_layer_media_type_is_refused()
    {
        using var skiff = new SkiffCli(output, rootless: false);
        (_, string name) = await PushSmallImageAsync(skiff, "fault/layertype");
        await using FaultProxy proxy = FaultProxy.Start(registry.Address);
        proxy.Fault = RewriteManifest(proxy, manifest => manifest["layers"]![0]!["mediaType"] = "application/vnd.example.layer.v1.tar+lz4");

        (await Pull(skiff, proxy, name)).AssertError(125, "unsupported layer media type");
        AssertStoreClean(skiff, expectedImages: 0);
    }

    [Fact]
    public async Task A_manifest_that_is_both_index_and_image_is_refused()
    {
        using var skiff = new SkiffCli(output, rootless: false);
        (_, string name) = await PushSmallImageAsync(skiff, "fault/both");
        await using FaultProxy proxy = FaultProxy.Start(registry.Address);
        proxy.Fault = RewriteManifest(proxy, manifest => manifest["manifests"] = new JsonArray());

        (await Pull(skiff, proxy, name)).AssertError(125, "both an index and an image manifest");
        AssertStoreClean(skiff, expectedImages: 0);
    }

    [Theory]
    [RootAndRootless]
    public async Task A_realm_on_another_host_over_plain_http_gets_no_credentials(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        (_, string name) = await PushSmallImageAsync(skiff, "fault/realm");

        // The realm's host is another loopback address: a trap that records whether anything connects.
        var trap = new TcpListener(IPAddress.Parse("127.0.0.2"), 0);
        trap.Start();
        int trapPort = ((IPEndPoint)trap.LocalEndpoint).Port;
        Task<TcpClient> connected = trap.AcceptTcpClientAsync();
        try
        {
            await using FaultProxy proxy = FaultProxy.Start(registry.Address);
            proxy.Fault = async context =>
            {
                context.Response.AppendHeader("WWW-Authenticate", $"Bearer realm=\"http://127.0.0.2:{trapPort}/token\",service=\"registry\"");
                await FaultProxy.RespondAsync(context, 401, Encoding.UTF8.GetBytes("{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}"), "application/json");
                return true;
            };

            ProcessResult pulled = await skiff.RunAsync(["pull", "--tls-verify=false", "--creds", "someone:s3cret", $"{proxy.Address}/{name}"], (byte[]?)null, TimeSpan.FromSeconds(60));
            pulled.AssertError(125, "plain http on another host");
            Assert.DoesNotContain("s3cret", pulled.Stderr, StringComparison.Ordinal);
            Assert.All(proxy.Seen, r => Assert.Null(r.Authorization));
            Assert.False(connected.IsCompleted, "skiff connected to the untrusted token realm");
            AssertStoreClean(skiff, expectedImages: 0);
        }
        finally
        {
            trap.Stop();
        }
    }

    private static bool IsManifestGet(HttpListenerContext context) =>
        context.Request.HttpMethod == "GET" && context.Request.RawUrl!.Contains("/manifests/", StringComparison.Ordinal);

    /// <summary>A fault that serves the image manifest with <paramref name="edit"/> applied (by tag, so no digest check catches it).</summary>
    private static Func<HttpListenerContext, Task<bool>> RewriteManifest(FaultProxy proxy, Action<JsonObject> edit) => async context =>
    {
        if (!IsManifestGet(context))
        {
            return false;
        }

        await proxy.ForwardAsync(context, body =>
        {
            JsonObject manifest = JsonNode.Parse(body)!.AsObject();
            edit(manifest);
            return Encoding.UTF8.GetBytes(manifest.ToJsonString());
        });
        return true;
    };

    /// <summary>A one-layer image of 256 KiB of noise (so a dropped connection can land mid-blob), pushed with skopeo.</summary>
    private async Task<(OciImage Image, string Name)> PushSmallImageAsync(SkiffCli skiff, string prefix)
    {
        byte[] noise = new byte[256 * 1024];
        Random.Shared.NextBytes(noise);
        OciImage image = new OciImageBuilder()
            .Layer(layer => layer.File("/noise", noise))
            .WriteLayout(Path.Combine(skiff.Sandbox.Work, "layout"));
        string name = $"{prefix}-{(skiff.Rootless ? "rootless" : "root")}-{Guid.NewGuid():N}"[..32] + ":v1";
        await TestImages.PushAsync(image, registry.Registry, name[..name.IndexOf(':')], "v1", output);
        return (image, name);
    }

    private static Task<ProcessResult> Pull(SkiffCli skiff, FaultProxy proxy, string name) =>
        skiff.RunAsync(["pull", "-q", "--tls-verify=false", $"{proxy.Address}/{name}"], (byte[]?)null, TimeSpan.FromSeconds(90));

    /// <summary>
    /// No partial image: the image list and records agree on <paramref name="expectedImages"/>, every blob
    /// hashes to its name, and besides blobs the store holds only bounded resumable partials, their locks,
    /// store locks and complete unpacked layers.
    /// </summary>
    private void AssertStoreClean(SkiffCli skiff, int expectedImages)
    {
        Assert.Equal(expectedImages, StoreInspection.ImageRecords(skiff.Sandbox.StorageRoot).Count);
        ProcessResult images = skiff.RunAsync("images", "-q").GetAwaiter().GetResult().AssertSuccess();
        Assert.Equal(expectedImages, images.StdoutLines.Count);
        StoreInspection.AssertBlobsVerified(skiff.Sandbox.StorageRoot);
        Assert.True(StoreInspection.PartialCount(skiff.Sandbox.StorageRoot) <= 1, "more than one partial download for a one-layer image");
        IReadOnlyList<string> strays = StoreInspection.StrayFiles(skiff.Sandbox.StorageRoot);
        Assert.True(strays.Count == 0, "stray files in the store:\n" + string.Join('\n', strays));
    }
}

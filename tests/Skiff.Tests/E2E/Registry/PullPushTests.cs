using System.Text.Json;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Registry;

/// <summary>pull and push against Debian's docker-registry, cross-checked with skopeo and podman.</summary>
[Collection(RegistryCollection.Name)]
[Trait("Category", "E2E")]
public sealed class PullPushTests(RegistryFixture registry, SecureRegistryFixture secure, ITestOutputHelper output)
{
    private static string Unique(string prefix, bool rootless) => $"{prefix}-{(rootless ? "rootless" : "root")}-{Guid.NewGuid():N}"[..30];

    [Theory]
    [RootAndRootless]
    public async Task Pulls_an_image_pushed_with_skopeo(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        OciImage image = TestImages.WriteBusybox(Path.Combine(skiff.Sandbox.Work, "layout"));
        string reference = await TestImages.PushAsync(image, registry.Registry, Unique("pull/busybox", rootless), log: output);

        ProcessResult pulled = (await skiff.RunAsync("pull", "--tls-verify=false", reference)).AssertSuccess();
        string id = image.ConfigDigest["sha256:".Length..];
        Assert.Equal(id, pulled.Stdout.Trim());
        Assert.Contains($"Trying to pull {reference}...", pulled.Stderr);
        Assert.Contains("Getting image source signatures", pulled.Stderr);
        Assert.Contains($"Copying blob {image.LayerDigests[0][7..19]}", pulled.Stderr);
        Assert.Contains($"Copying config {id[..12]}", pulled.Stderr);
        Assert.Contains("Writing manifest to image destination", pulled.Stderr);

        JsonElement record = Assert.Single(StoreInspection.ImageRecords(skiff.Sandbox.StorageRoot));
        Assert.Equal(image.ConfigDigest, record.GetProperty("id").GetString());
        Assert.Equal([reference], StoreInspection.Names(record));
        Assert.Contains($"{reference.Split(':')[0]}:{reference.Split(':')[1]}@{image.ManifestDigest}", StoreInspection.Digests(record));
        StoreInspection.AssertBlobsVerified(skiff.Sandbox.StorageRoot);

        ProcessResult quiet = (await skiff.RunAsync("pull", "-q", "--tls-verify=false", reference)).AssertSuccess();
        Assert.Equal(id, quiet.Stdout.Trim());
        Assert.Equal(string.Empty, quiet.Stderr.Trim());

        ProcessResult byDigest = (await skiff.RunAsync("pull", "--tls-verify=false", $"{reference[..reference.LastIndexOf(':')]}@{image.ManifestDigest}")).AssertSuccess();
        Assert.Equal(id, byDigest.StdoutLines[^1]);
        Assert.Contains("skipped: already exists", byDigest.Stderr);
    }

    [Theory]
    [RootAndRootless]
    public async Task Image_pull_and_image_push_are_pull_and_push(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        OciImage image = TestImages.WriteBusybox(Path.Combine(skiff.Sandbox.Work, "layout"));
        string source = await TestImages.PushAsync(image, registry.Registry, Unique("group/source", rootless), log: output);

        ProcessResult pulled = (await skiff.RunAsync("image", "pull", "-q", "--tls-verify=false", source)).AssertSuccess();
        Assert.Equal(image.ConfigDigest["sha256:".Length..], pulled.Stdout.Trim());

        string target = registry.Reference(Unique("group/target", rootless), "v1");
        (await skiff.RunAsync("image", "push", "--tls-verify=false", source, target)).AssertSuccess();
        (await skiff.RunAsync("rmi", source)).AssertSuccess();
        Assert.Equal(pulled.Stdout.Trim(), (await skiff.RunAsync("image", "pull", "-q", "--tls-verify=false", target)).AssertSuccess().Stdout.Trim());
    }

    [Theory]
    [RootAndRootless]
    public async Task Pushes_what_skopeo_reads_and_podman_pulls(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        OciImage image = TestImages.Busybox()
            .Layer(layer => layer.File("/etc/motd", "pushed by skiff\n"))
            .WriteLayout(Path.Combine(skiff.Sandbox.Work, "layout"));
        string source = await TestImages.PushAsync(image, registry.Registry, Unique("push/source", rootless), log: output);
        (await skiff.RunAsync("pull", "-q", "--tls-verify=false", source)).AssertSuccess();

        string target = registry.Reference(Unique("push/target", rootless), "v1");
        ProcessResult pushed = (await skiff.RunAsync("push", "--tls-verify=false", source, target)).AssertSuccess();
        Assert.Contains("Writing manifest to image destination", pushed.Stderr);

        ProcessResult inspect = (await skiff.ExecAsync("skopeo", "inspect", "--tls-verify=false", $"docker://{target}")).AssertSuccess();
        using JsonDocument inspected = JsonDocument.Parse(inspect.Stdout);
        Assert.Equal(image.ManifestDigest, inspected.RootElement.GetProperty("Digest").GetString());
        Assert.Equal(image.LayerDigests, inspected.RootElement.GetProperty("Layers").EnumerateArray().Select(e => e.GetString()!).ToList());

        // Same registry, other repository: the layers are mounted, not uploaded again.
        Assert.Contains(registry.Registry.Log.Split('\n'), line => line.Contains("mount=", StringComparison.Ordinal) && line.Contains("from=", StringComparison.Ordinal));

        string docker = registry.Reference(Unique("push/docker", rootless), "v2s2");
        (await skiff.RunAsync("push", "--tls-verify=false", "--format", "v2s2", source, docker)).AssertSuccess();
        ProcessResult raw = (await skiff.ExecAsync("skopeo", "inspect", "--raw", "--tls-verify=false", $"docker://{docker}")).AssertSuccess();
        Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", JsonDocument.Parse(raw.Stdout).RootElement.GetProperty("mediaType").GetString());

        if (!rootless)
        {
            // podman refuses a runroot longer than 50 characters, so its store gets a short path.
            string podmanStore = Directory.CreateTempSubdirectory("skp").FullName;
            string[] podman = ["--root", Path.Combine(podmanStore, "r"), "--runroot", Path.Combine(podmanStore, "rr"), "--storage-driver", "vfs"];
            foreach (string reference in new[] { target, docker })
            {
                ProcessResult podmanPull = (await skiff.ExecAsync("podman", [.. podman, "pull", "-q", "--tls-verify=false", reference], null, TimeSpan.FromMinutes(2))).AssertSuccess();
                Assert.Equal(image.ConfigDigest[7..], podmanPull.Stdout.Trim());
            }

            Directory.Delete(podmanStore, recursive: true);
        }
    }

    [Theory]
    [RootAndRootless]
    public async Task Chunked_upload_to_another_registry_with_login_and_cert_dir(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        byte[] noise = new byte[12 * 1024 * 1024];
        new Random(42).NextBytes(noise);
        OciImage image = TestImages.Busybox()
            .Layer(layer => layer.File("/noise.bin", noise), LayerCompression.None)
            .WriteLayout(Path.Combine(skiff.Sandbox.Work, "layout"));
        string source = await TestImages.PushAsync(image, registry.Registry, Unique("chunk/source", rootless), log: output);
        (await skiff.RunAsync("pull", "-q", "--tls-verify=false", source)).AssertSuccess();

        string certDir = Path.Combine(secure.CertsDirectory, secure.Address);
        string target = secure.Reference(Unique("chunk/target", rootless), "big");
        (await skiff.RunAsync("push", "--cert-dir", certDir, source, target)).AssertError(125, "authentication required");
        (await skiff.RunAsync(["login", "--cert-dir", certDir, "-u", secure.Username, "--password-stdin", secure.Address], secure.Password + "\n")).AssertSuccess();
        (await skiff.RunAsync("push", "--cert-dir", certDir, source, target)).AssertSuccess();

        Assert.Contains(secure.Registry.Log.Split('\n'), line => line.Contains("http.request.method=PATCH", StringComparison.Ordinal));
        ProcessResult inspect = (await skiff.ExecAsync("skopeo", "inspect", "--cert-dir", certDir, "--creds", secure.Registry.Credentials!, $"docker://{target}")).AssertSuccess();
        Assert.Equal(image.ManifestDigest, JsonDocument.Parse(inspect.Stdout).RootElement.GetProperty("Digest").GetString());
    }

    [Theory]
    [RootAndRootless]
    public async Task Pull_all_tags_pulls_every_tag_of_the_repository(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string name = Unique("alltags/busybox", rootless);
        OciImage plain = TestImages.WriteBusybox(Path.Combine(skiff.Sandbox.Work, "plain"));
        OciImage changed = TestImages.Busybox()
            .Layer(layer => layer.File("/etc/motd", "another tag\n"))
            .WriteLayout(Path.Combine(skiff.Sandbox.Work, "changed"));
        await TestImages.PushAsync(plain, registry.Registry, name, "v1", output);
        await TestImages.PushAsync(plain, registry.Registry, name, "v2", output);
        await TestImages.PushAsync(changed, registry.Registry, name, "v3", output);
        string repository = $"{registry.Registry.Address}/{name}";

        ProcessResult pulled = (await skiff.RunAsync("pull", "-a", "--tls-verify=false", repository)).AssertSuccess();
        Assert.Equal(
            new[] { plain.ConfigDigest, plain.ConfigDigest, changed.ConfigDigest }.Select(d => d["sha256:".Length..]).Order(),
            pulled.StdoutLines.Order());
        foreach (string tag in new[] { "v1", "v2", "v3" })
        {
            Assert.Contains($"Trying to pull {repository}:{tag}...", pulled.Stderr);
        }

        ProcessResult listed = (await skiff.RunAsync("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}")).AssertSuccess();
        Assert.Contains($"{repository}:v1 {plain.ConfigDigest[7..19]}", listed.StdoutLines);
        Assert.Contains($"{repository}:v2 {plain.ConfigDigest[7..19]}", listed.StdoutLines);
        Assert.Contains($"{repository}:v3 {changed.ConfigDigest[7..19]}", listed.StdoutLines);

        (await skiff.RunAsync("pull", "--all-tags", "--tls-verify=false", $"{repository}:v1")).AssertError(125, "tag can't be used with --all-tags/-a");
        (await skiff.RunAsync("pull", "--all-tags", "--tls-verify=false", $"{repository}@{plain.ManifestDigest}")).AssertError(125, "tag can't be used with --all-tags/-a");
        (await skiff.RunAsync("pull", "-a", "--tls-verify=false", $"{repository}-missing")).AssertError(125, "tag list");
    }
}

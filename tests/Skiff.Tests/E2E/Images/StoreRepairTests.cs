using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Images;

/// <summary>
/// A failed load leaves blobs no image uses; <c>image prune</c> and <c>system check --repair</c> sweep them
/// (rootless inside skiff's user namespace), and the images that are there stay intact.
/// </summary>
[Trait("Category", "E2E")]
public sealed class StoreRepairTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Prune_and_system_check_repair_sweep_what_a_failed_load_left(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("kept");
        string archive = await WriteArchiveWithWrongDiffIdAsync(skiff);
        int blobsBefore = BlobCount(skiff);

        (await skiff.RunAsync("load", "-i", archive)).AssertError(125, "digest");
        Assert.True(BlobCount(skiff) > blobsBefore, "the failed load left no blobs; the test no longer makes the problem it repairs");
        ProcessResult check = await skiff.RunAsync("system", "check");
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("[store] blob sha256:", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("is not used by any image", check.Stdout, StringComparison.Ordinal);

        ProcessResult pruned = (await skiff.RunAsync("image", "prune", "-f")).AssertSuccess();
        Assert.Contains("Total reclaimed space", pruned.Stderr, StringComparison.Ordinal);
        Assert.Equal(blobsBefore, BlobCount(skiff));
        Assert.Contains("Store: no problems found.", (await skiff.RunAsync("system", "check")).Stdout, StringComparison.Ordinal);

        (await skiff.RunAsync("load", "-i", archive)).AssertError(125, "digest");
        ProcessResult repaired = await skiff.RunAsync("system", "check", "--repair");
        Assert.Contains("Repaired: [store] blob sha256:", repaired.Stdout, StringComparison.Ordinal);
        Assert.Equal(blobsBefore, BlobCount(skiff));
        Assert.Contains("Store: no problems found.", (await skiff.RunAsync("system", "check")).Stdout, StringComparison.Ordinal);

        // The image that was there is whole: listed, and every blob readable for a save.
        Assert.Single((await skiff.RunAsync("images", "-q")).AssertSuccess().StdoutLines);
        (await skiff.RunAsync("save", "-o", Path.Combine(skiff.Sandbox.Work, "kept.tar"), "kept")).AssertSuccess();
    }

    private static int BlobCount(SkiffCli skiff)
    {
        string blobs = Path.Combine(skiff.Sandbox.StorageRoot, "blobs", "sha256");
        return Directory.Exists(blobs) ? Directory.GetFiles(blobs).Length : 0;
    }

    /// <summary>An oci-archive whose configuration names a wrong diff id: the layer blobs go in, then unpacking refuses the image.</summary>
    private static async Task<string> WriteArchiveWithWrongDiffIdAsync(SkiffCli skiff)
    {
        OciImage image = TestImages.Busybox()
            .Layer(layer => layer.File("/extra", "only in the broken image\n"))
            .WriteLayout(Path.Combine(skiff.Sandbox.Work, "broken"));
        string blobs = Path.Combine(image.LayoutDirectory, "blobs", "sha256");
        JsonObject index = JsonNode.Parse(File.ReadAllText(Path.Combine(image.LayoutDirectory, "index.json")))!.AsObject();
        JsonObject manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(blobs, image.ManifestDigest[7..])))!.AsObject();
        JsonObject config = JsonNode.Parse(File.ReadAllText(Path.Combine(blobs, image.ConfigDigest[7..])))!.AsObject();
        config["rootfs"]!["diff_ids"]![1] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("not this layer")));

        (string configDigest, long configSize) = WriteBlob(blobs, config);
        manifest["config"]!["digest"] = configDigest;
        manifest["config"]!["size"] = configSize;
        (string manifestDigest, long manifestSize) = WriteBlob(blobs, manifest);
        index["manifests"]![0]!["digest"] = manifestDigest;
        index["manifests"]![0]!["size"] = manifestSize;
        File.WriteAllText(Path.Combine(image.LayoutDirectory, "index.json"), index.ToJsonString());

        string archive = Path.Combine(skiff.Sandbox.Work, "broken.tar");
        (await TestProcess.RunAsync(new ProcessSpec("tar", ["-cf", archive, "-C", image.LayoutDirectory, "."]), log: null)).AssertSuccess();
        File.SetUnixFileMode(archive, (UnixFileMode)Convert.ToInt32("644", 8));
        return archive;
    }

    private static (string Digest, long Size) WriteBlob(string blobs, JsonObject json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
        string hex = Convert.ToHexStringLower(SHA256.HashData(bytes));
        File.WriteAllBytes(Path.Combine(blobs, hex), bytes);
        return ("sha256:" + hex, bytes.Length);
    }
}

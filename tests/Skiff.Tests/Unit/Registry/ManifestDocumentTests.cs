using System.Text;
using Skiff.Core.Errors;
using Skiff.Images.Manifests;
using Skiff.Images.Registry;

namespace Skiff.Tests.Unit.Registry;

public sealed class ManifestDocumentTests
{
    private const string Hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static string Manifest(string mediaType = MediaTypes.OciManifest, string layerDigest = "sha256:" + Hex, string layerType = MediaTypes.OciLayerGzip, string extra = "") =>
        $$"""{"schemaVersion":2,"mediaType":"{{mediaType}}","config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"sha256:{{Hex}}","size":10},"layers":[{"mediaType":"{{layerType}}","digest":"{{layerDigest}}","size":5}]{{extra}}}""";

    [Fact]
    public void Accepts_an_oci_manifest_and_a_docker_list()
    {
        ManifestDocument m = ManifestDocument.Parse(Encoding.UTF8.GetBytes(Manifest()), null, "t");
        Assert.NotNull(m.Manifest);
        string list = $$$"""{"schemaVersion":2,"mediaType":"{{{MediaTypes.DockerManifestList}}}","manifests":[{"mediaType":"{{{MediaTypes.DockerManifest}}}","digest":"sha256:{{{Hex}}}","size":1,"platform":{"os":"linux","architecture":"amd64"}}]}""";
        Assert.NotNull(ManifestDocument.Parse(Encoding.UTF8.GetBytes(list), null, "t").Index);
    }

    [Theory]
    [InlineData("sha256:../../x", MediaTypes.OciLayerGzip, "", "invalid digest")]
    [InlineData("sha256:" + Hex, "application/vnd.example.unknown", "", "unsupported layer media type")]
    [InlineData("sha256:" + Hex, MediaTypes.OciLayerGzip, ",\"manifests\":[]", "both an index and an image")]
    public void Rejects_hostile_manifests(string layerDigest, string layerType, string extra, string problem)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => ManifestDocument.Parse(Encoding.UTF8.GetBytes(Manifest(layerDigest: layerDigest, layerType: layerType, extra: extra)), null, "t"));
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Rejects_unknown_manifest_media_types_and_oversize_documents()
    {
        Assert.Contains("unsupported manifest media type", Assert.Throws<SkiffException>(() => ManifestDocument.Parse(Encoding.UTF8.GetBytes(Manifest(mediaType: "application/vnd.docker.distribution.manifest.v1+prettyjws")), null, "t")).Message);
        Assert.Contains("byte limit", Assert.Throws<SkiffException>(() => ManifestDocument.Parse(new byte[ManifestDocument.MaxSize + 1], null, "t")).Message);
    }

    [Fact]
    public void Platform_selection_uses_default_variants()
    {
        var index = new ImageIndex
        {
            Manifests =
            [
                new Descriptor { MediaType = MediaTypes.OciManifest, Digest = "sha256:" + Hex, Size = 1, Platform = new Platform { Os = "linux", Architecture = "arm", Variant = "v6" } },
                new Descriptor { MediaType = MediaTypes.OciManifest, Digest = "sha256:" + Hex.Replace('0', '1'), Size = 1, Platform = new Platform { Os = "linux", Architecture = "arm64" } },
                new Descriptor { MediaType = MediaTypes.OciManifest, Digest = "sha256:" + Hex.Replace('0', '2'), Size = 1, Platform = new Platform { Os = "linux", Architecture = "amd64" } },
            ],
        };
        Assert.Equal("arm64", PlatformSelector.Select(index, Platform.Parse("linux/arm64/v8"), "t").Platform!.Architecture);
        Assert.Equal("amd64", PlatformSelector.Select(index, Platform.Parse("linux/amd64"), "t").Platform!.Architecture);
        SkiffException e = Assert.Throws<SkiffException>(() => PlatformSelector.Select(index, Platform.Parse("linux/arm/v7"), "t"));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Contains("linux/arm/v6", e.Hint);
    }
}

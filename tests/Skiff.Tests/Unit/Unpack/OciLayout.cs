using System.Text;
using Skiff.Core.Digests;

namespace Skiff.Tests.Unit.Unpack;

/// <summary>Writes an OCI image layout (gzip layers) from <see cref="LayerTar"/>s, for tools such as umoci.</summary>
public static class OciLayout
{
    public static void Write(string directory, string tag, params LayerTar[] layers)
    {
        string blobs = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        var diffIds = new List<string>();
        var layerDescriptors = new List<string>();
        foreach (LayerTar layer in layers)
        {
            byte[] tar = layer.ToBytes();
            byte[] gz = TestLayers.Gzip(tar);
            diffIds.Add(Digest.Sha256Of(tar).Value);
            layerDescriptors.Add(Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", Blob(blobs, gz), gz.Length));
        }

        string arch = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "amd64";
        byte[] config = Encoding.UTF8.GetBytes(
            $"{{\"architecture\":\"{arch}\",\"os\":\"linux\",\"config\":{{}},\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[{string.Join(',', diffIds.Select(d => $"\"{d}\""))}]}}}}");
        byte[] manifest = Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{Descriptor("application/vnd.oci.image.config.v1+json", Blob(blobs, config), config.Length)},\"layers\":[{string.Join(',', layerDescriptors)}]}}");
        string manifestDigest = Blob(blobs, manifest);
        File.WriteAllText(Path.Combine(directory, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        File.WriteAllText(
            Path.Combine(directory, "index.json"),
            $"{{\"schemaVersion\":2,\"manifests\":[{{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"{manifestDigest}\",\"size\":{manifest.Length},\"annotations\":{{\"org.opencontainers.image.ref.name\":\"{tag}\"}}}}]}}");
    }

    private static string Blob(string blobs, byte[] content)
    {
        Digest digest = Digest.Sha256Of(content);
        File.WriteAllBytes(Path.Combine(blobs, digest.Hex), content);
        return digest.Value;
    }

    private static string Descriptor(string mediaType, string digest, long size) =>
        $"{{\"mediaType\":\"{mediaType}\",\"digest\":\"{digest}\",\"size\":{size}}}";
}

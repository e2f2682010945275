namespace Skiff.Tests.Support;

/// <summary>An image written into an OCI image layout directory, with the digests tests compare against.</summary>
/// <param name="LayoutDirectory">The OCI layout (oci-layout, index.json, blobs/).</param>
/// <param name="Tag">Its org.opencontainers.image.ref.name in index.json.</param>
/// <param name="ManifestDigest">sha256:… of the manifest, what a registry reports as the image digest.</param>
/// <param name="ConfigDigest">sha256:… of the config, skiff's and docker's image id.</param>
/// <param name="LayerDigests">Digests of the (possibly compressed) layer blobs, bottom first.</param>
/// <param name="DiffIds">Digests of the uncompressed layers, bottom first.</param>
public sealed record OciImage(
    string LayoutDirectory,
    string Tag,
    string ManifestDigest,
    string ConfigDigest,
    IReadOnlyList<string> LayerDigests,
    IReadOnlyList<string> DiffIds)
{
    /// <summary>skopeo/umoci transport name: <c>oci:DIR:TAG</c>.</summary>
    public string OciReference => $"oci:{LayoutDirectory}:{Tag}";
}

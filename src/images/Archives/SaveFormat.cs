namespace Skiff.Images.Archives;

/// <summary>The archive formats of save and load (podman's names).</summary>
public enum SaveFormat
{
    /// <summary>docker save's layout: manifest.json, repositories, config JSON and uncompressed layer tars.</summary>
    DockerArchive,

    /// <summary>A tar of an OCI image layout: oci-layout, index.json, blobs/.</summary>
    OciArchive,
}

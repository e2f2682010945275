using Skiff.Images.Manifests;

namespace Skiff.Images.Unpack;

/// <summary>
/// Makes an image's layers available unpacked (by chain id) for snapshots. Called by pull, load and
/// import after every blob of the image is verified in the content store; the layer blobs are read from
/// there. Must be idempotent and safe to run concurrently for overlapping images.
/// </summary>
public interface ILayerUnpacker
{
    /// <returns>The total unpacked size of the image's layers in bytes.</returns>
    Task<long> UnpackAsync(ImageManifest manifest, ImageConfig config, CancellationToken cancellationToken = default);
}

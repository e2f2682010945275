using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Images.Content;
using Skiff.Images.Manifests;

namespace Skiff.Images.Unpack;

/// <summary>Unpacks an image's layers from the content store into the <see cref="LayerStore"/>, bottom first.</summary>
public sealed class LayerUnpacker(ContentStore content, LayerStore layers) : ILayerUnpacker
{
    public Task<long> UnpackAsync(ImageManifest manifest, ImageConfig config, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> diffIdTexts = config.RootFs.DiffIds;
        if (diffIdTexts.Count != manifest.Layers.Count)
        {
            throw SkiffException.InvalidArgument(
                $"image has {manifest.Layers.Count} layers but its config lists {diffIdTexts.Count} diff ids",
                "the image is malformed; ask its publisher");
        }

        var diffIds = diffIdTexts.Select(Digest.Parse).ToList();
        IReadOnlyList<Digest> chainIds = ChainIds.Compute(diffIds);
        long total = 0;
        for (int i = 0; i < chainIds.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Digest blob = manifest.Layers[i].ParsedDigest;
            LayerInfo info = layers.Ensure(chainIds[i], i == 0 ? null : chainIds[i - 1], diffIds[i], () => content.OpenRead(blob));
            total += info.Size;
        }

        return Task.FromResult(total);
    }
}

using Skiff.Core.Digests;
using Skiff.Images.Manifests;

namespace Skiff.Images.Registry.Pulling;

/// <summary>What a pull reports as it goes (podman's lines, or progress bars on a terminal). Called from several threads.</summary>
public interface IPullProgress
{
    void Trying(string reference);

    void CopyingStarted();

    void BlobStarted(Descriptor blob, bool alreadyExists);

    void BlobProgress(Digest blob, long bytes);

    void BlobDone(Digest blob);

    void CopyingConfig(Digest config);

    void WritingManifest();
}

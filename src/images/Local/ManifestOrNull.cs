using Skiff.Images.Manifests;

namespace Skiff.Images.Local;

/// <summary>A removed image's manifest as read before removal; null when it was already unreadable.</summary>
public readonly record struct ManifestOrNull(ImageManifest? Manifest);

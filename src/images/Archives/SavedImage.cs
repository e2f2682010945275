using Skiff.Images.Store;

namespace Skiff.Images.Archives;

/// <summary>An image to save and the names to record for it in the archive (empty when saved by id).</summary>
public sealed record SavedImage(ImageRecord Image, IReadOnlyList<string> Names);

using Skiff.Images.Store;

namespace Skiff.Images.Registry.Pulling;

/// <summary>The image a pull stored, and the fully qualified name it came from.</summary>
public sealed record PullResult(ImageRecord Image, string Reference);

using Skiff.Images.Store;

namespace Skiff.Images.Archives;

/// <summary>One image stored by load, with the names the archive gave it.</summary>
public sealed record LoadedImage(ImageRecord Image, IReadOnlyList<string> Names);

namespace Skiff.Images.Local;

/// <summary>What <c>skiff import</c> makes of a root filesystem tarball.</summary>
/// <param name="Source">Where the tarball came from, for the history comment (<c>-</c> for stdin).</param>
/// <param name="Reference">The name to give the image, or null for an untagged image.</param>
/// <param name="Changes">Dockerfile-style instructions applied to the config (<c>--change</c>).</param>
/// <param name="Message">The history comment (<c>--message</c>), or null for "Imported from SOURCE".</param>
/// <param name="Architecture">GOARCH-style architecture of the image (the host's by default).</param>
public sealed record ImportOptions(string Source, string? Reference, IReadOnlyList<string> Changes, string? Message, string Architecture);

namespace Skiff.Images.Unpack;

/// <summary>What applying one layer did.</summary>
/// <param name="Entries">Entries read (including whiteouts).</param>
/// <param name="ContentBytes">Bytes of regular-file content written.</param>
/// <param name="Whiteouts">Cleaned paths removed from the layers below.</param>
/// <param name="OpaqueDirectories">Cleaned paths of directories that hide the layers below.</param>
/// <param name="Warnings">Entries or attributes skipped because the kernel or the source could not represent them.</param>
public sealed record ApplyResult(
    long Entries,
    long ContentBytes,
    IReadOnlyList<string> Whiteouts,
    IReadOnlyList<string> OpaqueDirectories,
    IReadOnlyList<string> Warnings);

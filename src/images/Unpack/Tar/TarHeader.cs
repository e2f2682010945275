namespace Skiff.Images.Unpack.Tar;

/// <summary>
/// One tar entry as stored, after PAX extended headers and GNU long names were merged into it.
/// Numbers are as the archive says (the caller validates them); names are decoded as UTF-8.
/// </summary>
public sealed record TarHeader
{
    public required string Name { get; init; }

    /// <summary>The ustar type flag ('0', '5', '2', ...; '\0' is an old regular file).</summary>
    public required byte TypeFlag { get; init; }

    public long Mode { get; init; }

    public long Uid { get; init; }

    public long Gid { get; init; }

    /// <summary>Bytes of content that follow the header (0 for types that carry none, whatever the header says).</summary>
    public long Size { get; init; }

    public long MtimeSeconds { get; init; }

    public uint MtimeNanoseconds { get; init; }

    public string LinkName { get; init; } = string.Empty;

    public long DeviceMajor { get; init; }

    public long DeviceMinor { get; init; }

    /// <summary>Extended attributes from PAX <c>SCHILY.xattr.NAME</c> records, values as raw bytes.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> Xattrs { get; init; } = [];
}

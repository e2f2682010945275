using System.Globalization;
using System.Text.Json.Serialization;

namespace Skiff.Runtime.Cgroups;

/// <summary>
/// A per-device block IO limit (--device-read-bps and the like, --blkio-weight-device): a rate in bytes or operations
/// per second, or a weight. <paramref name="Path"/> is the host path the user named, kept for inspect; null when
/// read from a bundle, which knows only the numbers.
/// </summary>
public sealed record BlockIoLimit(BlockIoLimitKind Kind, string? Path, long Major, long Minor, ulong Value)
{
    /// <summary>"MAJOR:MINOR VALUE", the line the v1 blkio files take.</summary>
    [JsonIgnore]
    public string V1Line => string.Create(CultureInfo.InvariantCulture, $"{Major}:{Minor} {Value}");

    /// <summary>The key of v2's io.max for a rate limit.</summary>
    [JsonIgnore]
    public string? IoMaxKey => Kind switch
    {
        BlockIoLimitKind.ReadBps => "rbps",
        BlockIoLimitKind.WriteBps => "wbps",
        BlockIoLimitKind.ReadIops => "riops",
        BlockIoLimitKind.WriteIops => "wiops",
        _ => null,
    };

    /// <summary>The flag that asks for this kind, for errors.</summary>
    [JsonIgnore]
    public string Flag => Kind switch
    {
        BlockIoLimitKind.ReadBps => "--device-read-bps",
        BlockIoLimitKind.WriteBps => "--device-write-bps",
        BlockIoLimitKind.ReadIops => "--device-read-iops",
        BlockIoLimitKind.WriteIops => "--device-write-iops",
        _ => "--blkio-weight-device",
    };

    /// <summary>The v1 blkio file of a rate limit.</summary>
    [JsonIgnore]
    public string? V1ThrottleFile => Kind switch
    {
        BlockIoLimitKind.ReadBps => "blkio.throttle.read_bps_device",
        BlockIoLimitKind.WriteBps => "blkio.throttle.write_bps_device",
        BlockIoLimitKind.ReadIops => "blkio.throttle.read_iops_device",
        BlockIoLimitKind.WriteIops => "blkio.throttle.write_iops_device",
        _ => null,
    };

    /// <summary>
    /// <paramref name="current"/> with <paramref name="update"/> applied (skiff update): a setting given again for the
    /// same device replaces the old one, a value of 0 removes it (0 in a v1 blkio file removes a device's line too),
    /// settings not given stay. Null when nothing is left.
    /// </summary>
    public static IReadOnlyList<BlockIoLimit>? Merge(IReadOnlyList<BlockIoLimit>? current, IReadOnlyList<BlockIoLimit>? update)
    {
        if (update is null)
        {
            return current;
        }

        List<BlockIoLimit> merged = [.. (current ?? []).Where(c => !update.Any(u => u.Kind == c.Kind && u.Major == c.Major && u.Minor == c.Minor))];
        foreach (BlockIoLimit limit in update.Where(u => u.Value != 0))
        {
            // The last of two for the same device and kind wins, as in the blkio file.
            merged.RemoveAll(m => m.Kind == limit.Kind && m.Major == limit.Major && m.Minor == limit.Minor);
            merged.Add(limit);
        }

        return merged.Count == 0 ? null : merged;
    }
}

using System.Globalization;

namespace Skiff.Runtime.Memory;

/// <summary>
/// What the garbage collector's settings (<see cref="GC.GetConfigurationVariables"/>, its effective values) say about
/// where its heap lives. .NET's collector (regions, .NET 7 and later) reserves one range and cuts it into regions of
/// one power-of-two size, each aligned to that size; a 2 MB block around any heap address is then inside one region
/// when regions are at least that big. The size is configured (GCRegionSize) or chosen at start from the range:
/// 4, 2 or 1 MB so that at least a few regions per heap fit in half of it (gc.cpp, GCHeap::Initialize), 1 MB only
/// for tiny ranges (hard limits of a few MB).
/// </summary>
public static class GcRegionLayout
{
    /// <summary>A range this big per heap leaves the collector's 4 MB default whatever its per-heap minimum of regions (≤ 32).</summary>
    private const long ComfortableRangePerHeap = 256L * 1024 * 1024;

    /// <summary>Whether every <paramref name="blockSize"/>-aligned block holding a heap address lies inside one region.</summary>
    public static bool BlocksStayInsideRegions(IReadOnlyDictionary<string, object> settings, long blockSize)
    {
        if (Flag(settings, "GCLargePages") != false)
        {
            // Large pages come from a different reservation path (and are huge already).
            return false;
        }

        long? regionSize = Number(settings, "GCRegionSize");
        if (regionSize > 0)
        {
            return regionSize >= blockSize;
        }

        long? range = Number(settings, "GCRegionRange");
        long heaps = Math.Max(1, Number(settings, "HeapCount") ?? 1);
        return regionSize == 0 && range / heaps >= ComfortableRangePerHeap;
    }

    private static long? Number(IReadOnlyDictionary<string, object> settings, string name) =>
        settings.TryGetValue(name, out object? value) && value is IConvertible convertible
            ? convertible.ToInt64(CultureInfo.InvariantCulture)
            : null;

    private static bool? Flag(IReadOnlyDictionary<string, object> settings, string name) =>
        settings.TryGetValue(name, out object? value) && value is bool flag ? flag : null;
}

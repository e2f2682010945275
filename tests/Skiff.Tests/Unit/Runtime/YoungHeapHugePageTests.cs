using System.Globalization;
using System.Runtime.InteropServices;
using Skiff.Runtime.Memory;

namespace Skiff.Tests.Unit.Runtime;

/// <summary>On this process's own heap (the test host's collector is NativeAOT's), with the real kernel.</summary>
public class YoungHeapHugePageTests
{
    [Fact]
    public void The_block_where_this_thread_allocates_becomes_one_huge_page()
    {
        HugePageOutcome outcome = YoungHeapHugePage.TryCollapse();
        // Allocated right after, so inside the block just collapsed (a collection in between would move on, and is rare).
        GCHandle pin = GCHandle.Alloc(new byte[1], GCHandleType.Pinned);
        ulong address;
        try
        {
            address = (ulong)pin.AddrOfPinnedObject();
        }
        finally
        {
            pin.Free();
        }

        long hugeKilobytes = AnonHugePagesAt(address);
        if (File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled").Contains("[never]", StringComparison.Ordinal))
        {
            // MADV_COLLAPSE is refused where transparent huge pages are off altogether.
            Assert.Equal(HugePageOutcome.Refused, outcome);
            Assert.Equal(0, hugeKilobytes);
            return;
        }

        Assert.Equal(HugePageOutcome.Collapsed, outcome);
        Assert.True(hugeKilobytes >= YoungHeapHugePage.BlockSize / 1024, $"AnonHugePages {hugeKilobytes} kB in the mapping at {address:x}");
    }

    private static long AnonHugePagesAt(ulong address)
    {
        bool inside = false;
        foreach (string line in File.ReadAllLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-');
            int space = line.IndexOf(' ');
            if (dash > 0 && space > dash && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong start)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong end))
            {
                inside = start <= address && address < end;
            }
            else if (inside && line.StartsWith("AnonHugePages:", StringComparison.Ordinal))
            {
                return long.Parse(line["AnonHugePages:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"no mapping holds {address:x}");
    }
}

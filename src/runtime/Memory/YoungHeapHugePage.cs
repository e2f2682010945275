using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Memory;

/// <summary>
/// Puts the 2 MB block of the garbage collector's heap where a new process allocates on one transparent huge page.
/// A skiff process allocates a few hundred kB to a few MB before it exits or execs, and the collector commits its
/// young region 64 kB at a time; each first touch of a 4 kB page is a page fault, and a fault costs 12-14 µs in the
/// VMs measured here (the guest's fault plus the host's shadow-page fault: populating the page without the touch
/// halves it, no more). A `run --rm` took ~370 such faults over its CLI, monitor and init, ~5 ms of the ~50 ms start
/// on the critical path (bench/README.md, session 24). MADV_COLLAPSE (Linux 6.1) makes the block one huge page
/// synchronously in ~0.3 ms, whatever the machine's THP mode short of "never"; later touches cost nothing.
/// The block is inside one collector region (<see cref="GcRegionLayout"/>) and checked to be nothing but private
/// anonymous memory before anything changes; committing pages of the collector's reservation ahead of it is safe:
/// it never relies on uncommitted pages faulting, and it treats pages it commits as zero, which they are.
/// Costs at most 2 MB of memory per process; the long-lived network helpers skip it, and a monitor that stays with
/// its container hands over to skiff-relay (a new program) first.
/// </summary>
public static class YoungHeapHugePage
{
    public const int BlockSize = 2 * 1024 * 1024;

    /// <summary>Enough for /proc/self/maps of a starting .NET process (~90 mappings, ~8 kB).</summary>
    private const int MapsBufferSize = 32 * 1024;

    public static HugePageOutcome TryCollapse()
    {
        if (!GcRegionLayout.BlocksStayInsideRegions(GC.GetConfigurationVariables(), BlockSize))
        {
            return HugePageOutcome.UnknownLayout;
        }

        nint block = NextAllocation() & ~(nint)(BlockSize - 1);
        if (!IsPrivateAnonymous(block))
        {
            return HugePageOutcome.NotAnonymous;
        }

        // The collector marks what it commits MADV_DODUMP (its reservation is DONTDUMP): the same flags let the kernel
        // merge the block into one mapping, which a huge page needs.
        if (Libc.mprotect(block, BlockSize, Libc.PROT_READ | Libc.PROT_WRITE) != 0
            || Libc.madvise(block, BlockSize, Libc.MADV_DODUMP) != 0
            || Libc.madvise(block, BlockSize, Libc.MADV_COLLAPSE) != 0)
        {
            return HugePageOutcome.Refused;
        }

        return HugePageOutcome.Collapsed;
    }

    /// <summary>Where the collector allocates next: at a new object of this thread's allocation context.</summary>
    private static nint NextAllocation()
    {
        GCHandle pin = GCHandle.Alloc(new byte[1], GCHandleType.Pinned);
        try
        {
            return pin.AddrOfPinnedObject();
        }
        finally
        {
            pin.Free();
        }
    }

    private static bool IsPrivateAnonymous(nint block)
    {
        Span<byte> buffer = stackalloc byte[MapsBufferSize];
        int length = 0;
        try
        {
            using SafeFileHandle maps = File.OpenHandle("/proc/self/maps");
            int read;
            while (length < buffer.Length && (read = RandomAccess.Read(maps, buffer[length..], length)) > 0)
            {
                length += read;
            }
        }
        catch (IOException)
        {
            return false;
        }

        // A full buffer may end in a cut line: only whole lines count (the range then reads as not covered).
        ReadOnlySpan<byte> text = buffer[..length];
        if (length == buffer.Length)
        {
            text = text[..(text.LastIndexOf((byte)'\n') + 1)];
        }

        return AnonymousRange.IsPrivateAnonymous(text, (ulong)block, (ulong)block + BlockSize);
    }
}

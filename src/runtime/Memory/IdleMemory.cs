using Skiff.Runtime.Native;

namespace Skiff.Runtime.Memory;

/// <summary>
/// Gives back what a long-lived, mostly idle process (the container monitor) no longer needs after its
/// busy start: the garbage collector's free space, and the resident pages of read-only file mappings
/// (skiff's code and metadata, libc). Those pages stay in the page cache and the few the idle loop
/// touches again fault back in from there; DONTNEED drops them also when other processes map the same
/// file, which MADV_PAGEOUT would skip (and it would evict them from the cache for everyone).
/// </summary>
public static class IdleMemory
{
    private const string Smaps = "/proc/self/smaps";

    /// <summary>Trims this process; returns how many kilobytes of mappings were dropped (for diagnostics).</summary>
    public static long Trim()
    {
        List<MappedRegion> regions;
        try
        {
            regions = SmapsParser.Parse(File.ReadAllText(Smaps));
        }
        catch (IOException)
        {
            regions = [];
        }

        // Then a compacting full collection that also returns the emptied heap regions (the parse's
        // garbage included) to the system. Before the madvise: the collector's own code is among the
        // pages dropped next, so it must not run after them.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();

        long dropped = 0;
        foreach (MappedRegion region in regions)
        {
            if (!region.CanDropCleanPages)
            {
                continue;
            }

            if (Libc.madvise((nint)region.Start, (nuint)(region.End - region.Start), Libc.MADV_DONTNEED) == 0)
            {
                dropped += region.RssKilobytes;
            }

            // Without read-around a fault maps back the one page touched, not the 16 around it: the idle
            // loop touches a few functions here and there, and each would bring 64 kB back otherwise.
            Libc.madvise((nint)region.Start, (nuint)(region.End - region.Start), Libc.MADV_RANDOM);
        }

        return dropped;
    }
}

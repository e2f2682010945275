namespace Skiff.Rootless.IdMaps;

/// <summary>
/// Picks the lowest block of ids inside the available subordinate ranges that overlaps none of the
/// blocks already in use (podman's --userns=auto, where the <c>containers</c> entry of /etc/subuid is the pool).
/// </summary>
public static class AutoRangeAllocator
{
    public static uint? TryAllocate(IReadOnlyList<SubordinateRange> available, IEnumerable<(uint Start, uint Size)> used, uint size)
    {
        var taken = used.Where(u => u.Size > 0).OrderBy(u => u.Start).ToList();
        foreach (SubordinateRange range in available.OrderBy(r => r.Start))
        {
            ulong end = (ulong)range.Start + range.Count;
            ulong candidate = range.Start;
            foreach ((uint start, uint count) in taken)
            {
                if ((ulong)start + count <= candidate)
                {
                    continue;
                }

                if (start >= candidate + size)
                {
                    break;
                }

                candidate = (ulong)start + count;
            }

            if (candidate + size <= end)
            {
                return (uint)candidate;
            }
        }

        return null;
    }
}

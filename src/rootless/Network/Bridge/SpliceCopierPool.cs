namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// The forwarder's copiers (each a 1 MiB pipe), kept across connections. The kernel charges pipe buffers to
/// their user and, for an unprivileged one, gives new pipes only two pages and refuses to grow them once the
/// user holds more than fs.pipe-user-pages-soft (16,384 pages, 64 MiB): each pasta keeps a pool of about
/// 35 MiB, so a user's second or third pasta container leaves later pipes small and a splice then moves
/// 8 KiB per call (a 127.0.0.1 download fell from 1,387 to 488 MB/s with three pasta containers beside it).
/// The forwarder takes its first pair when it starts, next to its container's pasta, and reuses them.
/// </summary>
public sealed class SpliceCopierPool : IDisposable
{
    /// <summary>Copiers kept idle at most: one connection's two directions, and a few more for concurrent ones.</summary>
    private const int MaxIdle = 8;

    private readonly Stack<SpliceCopier> _idle = new();
    private readonly Lock _lock = new();

    /// <summary>Makes <paramref name="reserve"/> copiers now.</summary>
    public SpliceCopierPool(int reserve)
    {
        for (int i = 0; i < reserve; i++)
        {
            _idle.Push(new SpliceCopier());
        }
    }

    public SpliceCopier Rent()
    {
        lock (_lock)
        {
            if (_idle.TryPop(out SpliceCopier? copier))
            {
                return copier;
            }
        }

        return new SpliceCopier();
    }

    /// <summary>Takes back a copier whose copy ended at end of stream (its pipe is empty); others must be disposed.</summary>
    public void Return(SpliceCopier copier)
    {
        lock (_lock)
        {
            if (_idle.Count < MaxIdle)
            {
                _idle.Push(copier);
                return;
            }
        }

        copier.Dispose();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            while (_idle.TryPop(out SpliceCopier? copier))
            {
                copier.Dispose();
            }
        }
    }
}

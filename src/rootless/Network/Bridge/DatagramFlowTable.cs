namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// The UDP flows of a forwarder (<see cref="DatagramRelay"/>): one per published port and client address, each
/// forgotten once idle as conntrack forgets UDP: <see cref="UnansweredTimeout"/> while the container has
/// not answered it (nf_conntrack_udp_timeout, 30 s), <see cref="AnsweredTimeout"/> once it has
/// (nf_conntrack_udp_timeout_stream, 120 s), so a request/response client keeps its flow between exchanges
/// and a scan leaves nothing behind for long. At <c>capacity</c> a new client takes the place of the flow
/// idle longest, so new clients are always served and the table never grows past its bound. Times are
/// milliseconds of a monotonic clock the caller reads. Not thread-safe: the relay's one thread owns it.
/// </summary>
public sealed class DatagramFlowTable<TFlow>(int capacity)
    where TFlow : class
{
    public static readonly TimeSpan UnansweredTimeout = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan AnsweredTimeout = TimeSpan.FromSeconds(120);

    private readonly Dictionary<DatagramFlowKey, Entry> _flows = [];

    public int Count => _flows.Count;

    public int Capacity => capacity;

    /// <summary>The flow of <paramref name="key"/>, marked active at <paramref name="now"/>; null when there is none.</summary>
    public TFlow? Find(DatagramFlowKey key, long now)
    {
        if (!_flows.TryGetValue(key, out Entry? entry))
        {
            return null;
        }

        entry.LastActive = now;
        return entry.Flow;
    }

    /// <summary>
    /// Adds a flow for a new client (<paramref name="key"/> must not be in the table); returns the flow it
    /// displaced to stay within capacity, for the caller to close, or null.
    /// </summary>
    public TFlow? Add(DatagramFlowKey key, TFlow flow, long now)
    {
        TFlow? displaced = null;
        if (_flows.Count >= capacity)
        {
            KeyValuePair<DatagramFlowKey, Entry> oldest = _flows.MinBy(kv => kv.Value.LastActive);
            _flows.Remove(oldest.Key);
            displaced = oldest.Value.Flow;
        }

        _flows.Add(key, new Entry(flow) { LastActive = now });
        return displaced;
    }

    /// <summary>The container answered on the flow of <paramref name="key"/> at <paramref name="now"/>.</summary>
    public void Answered(DatagramFlowKey key, long now)
    {
        if (_flows.TryGetValue(key, out Entry? entry))
        {
            entry.LastActive = now;
            entry.Answered = true;
        }
    }

    /// <summary>Removes the flow of <paramref name="key"/> (the container refused it); returns it, or null.</summary>
    public TFlow? Remove(DatagramFlowKey key) => _flows.Remove(key, out Entry? entry) ? entry.Flow : null;

    /// <summary>Removes and returns the flows idle past their timeout at <paramref name="now"/>.</summary>
    public IReadOnlyList<TFlow> RemoveExpired(long now)
    {
        List<TFlow>? expired = null;
        foreach ((DatagramFlowKey key, Entry entry) in _flows)
        {
            if (now >= Deadline(entry))
            {
                (expired ??= []).Add(entry.Flow);
                _flows.Remove(key);
            }
        }

        return expired ?? (IReadOnlyList<TFlow>)[];
    }

    /// <summary>Milliseconds from <paramref name="now"/> until the next flow expires (0 if one is due); null with no flows.</summary>
    public long? UntilNextExpiry(long now)
    {
        long? next = null;
        foreach (Entry entry in _flows.Values)
        {
            long deadline = Deadline(entry);
            next = next is long n && n <= deadline ? n : deadline;
        }

        return next is long d ? Math.Max(0, d - now) : null;
    }

    private static long Deadline(Entry entry) =>
        entry.LastActive + (long)(entry.Answered ? AnsweredTimeout : UnansweredTimeout).TotalMilliseconds;

    private sealed class Entry(TFlow flow)
    {
        public TFlow Flow { get; } = flow;

        public long LastActive { get; set; }

        public bool Answered { get; set; }
    }
}

namespace Skiff.Runtime.Process;

/// <summary>
/// Signals for a process that is not running yet: held until <see cref="Release"/>, then delivered in the order they
/// came, and delivered at once after that.
/// </summary>
public sealed class HeldSignals(Action<int> deliver)
{
    private readonly List<int> held = [];
    private readonly Lock gate = new();
    private bool released;

    public void Send(int signal)
    {
        lock (gate)
        {
            if (!released)
            {
                held.Add(signal);
                return;
            }
        }

        deliver(signal);
    }

    /// <summary>The process runs: the held signals are delivered now.</summary>
    public void Release()
    {
        int[] pending;
        lock (gate)
        {
            released = true;
            pending = [.. held];
            held.Clear();
        }

        foreach (int signal in pending)
        {
            deliver(signal);
        }
    }
}

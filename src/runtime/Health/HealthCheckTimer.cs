namespace Skiff.Runtime.Health;

/// <summary>
/// When the next scheduled check is due, on the monotonic clock of <see cref="Environment.TickCount64"/> (system-wide,
/// so the due time survives the monitor's exec into skiff-relay). As podman's systemd timer (OnUnitInactiveSec), the
/// first check runs one interval after the start and each next one an interval after the previous one ended; one runs
/// at a time.
/// </summary>
public sealed class HealthCheckTimer(long intervalMilliseconds, long dueAt, bool running = false)
{
    public long IntervalMilliseconds { get; } = intervalMilliseconds;

    public long DueAt { get; private set; } = dueAt;

    /// <summary>A check started and has not ended yet.</summary>
    public bool Running { get; private set; } = running;

    /// <summary>How long a wait may last before a check is due (for poll); -1 while one runs.</summary>
    public int WaitMilliseconds(long now) => Running ? -1 : (int)Math.Clamp(DueAt - now, 0, int.MaxValue);

    /// <summary>True when a check is due now; it then counts as running until <see cref="Ended"/>.</summary>
    public bool TryStart(long now)
    {
        if (Running || now < DueAt)
        {
            return false;
        }

        Running = true;
        return true;
    }

    /// <summary>The running check ended (or could not start): the next one is due an interval from now.</summary>
    public void Ended(long now)
    {
        Running = false;
        DueAt = now + IntervalMilliseconds;
    }
}

namespace Skiff.Runtime.Health;

/// <summary>
/// A container's health as podman keeps it (<c>State.Health</c>): the status, how many checks failed in a row, and
/// the last <see cref="MaxLogEntries"/> results. <see cref="Record"/> is podman 4.3's transition, unit-tested.
/// </summary>
public sealed record HealthState(string Status, int FailingStreak, IReadOnlyList<HealthLogEntry> Log)
{
    /// <summary>podman's MaxHealthCheckNumberLogs.</summary>
    public const int MaxLogEntries = 5;

    /// <summary>podman's MaxHealthCheckLogLength: a check's output is kept up to this many characters.</summary>
    public const int MaxOutputLength = 500;

    /// <summary>No check defined, or none recorded yet: podman's empty status.</summary>
    public static HealthState None { get; } = new(string.Empty, 0, []);

    /// <summary>What a start records: the status is starting until a check decides; the last results stay.</summary>
    public HealthState Started() => this with { Status = HealthStatus.Starting, FailingStreak = 0 };

    /// <summary>
    /// Adds a result. A success makes the container healthy and resets the streak; a failure counts, except
    /// during the start period, and <paramref name="retries"/> failures in a row make it unhealthy.
    /// </summary>
    public HealthState Record(HealthLogEntry entry, int retries, bool inStartPeriod)
    {
        string status = Status;
        int streak = FailingStreak;
        if (entry.ExitCode == 0)
        {
            status = HealthStatus.Healthy;
            streak = 0;
        }
        else
        {
            if (status.Length == 0)
            {
                // podman 4.3 does this for a container whose status was never set.
                status = HealthStatus.Healthy;
            }

            if (!inStartPeriod)
            {
                streak++;
                if (streak >= retries)
                {
                    status = HealthStatus.Unhealthy;
                }
            }
        }

        if (entry.Output.Length > MaxOutputLength)
        {
            entry = entry with { Output = entry.Output[..MaxOutputLength] };
        }

        List<HealthLogEntry> log = [.. Log, entry];
        if (log.Count > MaxLogEntries)
        {
            log.RemoveRange(0, log.Count - MaxLogEntries);
        }

        return new HealthState(status, streak, log);
    }
}

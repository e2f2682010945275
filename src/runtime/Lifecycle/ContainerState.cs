namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// The mutable part of a container, rewritten atomically by the monitor and by lifecycle commands.
/// Pids are paired with start times so that a reused pid is never mistaken for the container.
/// </summary>
public sealed record ContainerState
{
    public string Status { get; init; } = ContainerStatus.Created;

    public int Pid { get; init; }

    public long PidStartTime { get; init; }

    public int MonitorPid { get; init; }

    public long MonitorStartTime { get; init; }

    public int ExitCode { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Why the last start failed, or why the exit code is unknown.</summary>
    public string? Error { get; init; }

    public bool OomKilled { get; init; }

    /// <summary>How often the restart policy started the container again since it was last started by the user.</summary>
    public int RestartCount { get; init; }

    /// <summary>stop, kill -s KILL or rm -f ended it (podman's StoppedByUser): the restart policy leaves it stopped; a start clears it.</summary>
    public bool StoppedByUser { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool Running => Status is ContainerStatus.Running or ContainerStatus.Stopping or ContainerStatus.Paused;

    /// <summary>Initialized by <c>skiff init</c>: its monitor and the runtime's init wait for the start.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Initialized => Status == ContainerStatus.Initialized;
}

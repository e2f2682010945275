namespace Skiff.Runtime.Health;

/// <summary>
/// A container's healthcheck as docker's image config and podman store it: <see cref="Test"/> is
/// <c>["CMD-SHELL", "command"]</c> (run by /bin/sh -c), <c>["CMD", "arg0", …]</c> (exec form) or <c>["NONE"]</c>
/// (disabled); durations are nanoseconds, as in the image config. An <see cref="Interval"/> of 0 runs no timer
/// (podman's <c>--health-interval disable</c>): the check then only runs by <c>skiff healthcheck run</c>.
/// </summary>
public sealed record HealthCheckConfig
{
    public const long Second = 1_000_000_000;

    public const long DefaultInterval = 30 * Second;

    public const long DefaultTimeout = 30 * Second;

    public const int DefaultRetries = 3;

    public IReadOnlyList<string> Test { get; init; } = [];

    public long Interval { get; init; }

    public long Timeout { get; init; }

    public long StartPeriod { get; init; }

    public int Retries { get; init; }

    /// <summary>podman's --health-on-failure: none, kill, restart or stop, done when the status becomes unhealthy.</summary>
    public string OnFailure { get; init; } = HealthOnFailure.None;

    /// <summary>Whether there is a check to run (a test that is not NONE).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Enabled => Test.Count > 0 && Test[0] != "NONE" && !(Test[0] is "CMD" or "CMD-SHELL" && Test.Count == 1);

    /// <summary>The argv the check runs in the container.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> Command => Test.Count == 0 ? [] : Test[0] switch
    {
        "CMD-SHELL" => ["/bin/sh", "-c", string.Join(' ', Test.Skip(1))],
        "CMD" => [.. Test.Skip(1)],
        _ => Test,
    };
}

namespace Skiff.Runtime.Health;

/// <summary>podman's --health-on-failure actions, taken when a check turns the status unhealthy.</summary>
public static class HealthOnFailure
{
    public const string None = "none";

    public const string Kill = "kill";

    public const string Restart = "restart";

    public const string Stop = "stop";

    public static IReadOnlyList<string> All { get; } = [None, Kill, Restart, Stop];
}

namespace Skiff.Runtime.Health;

/// <summary>The health statuses podman and docker show (<c>State.Health.Status</c>, ps's <c>(healthy)</c>).</summary>
public static class HealthStatus
{
    public const string Starting = "starting";

    public const string Healthy = "healthy";

    public const string Unhealthy = "unhealthy";
}

using System.Text.Json.Serialization;

namespace Skiff.Images.Manifests;

/// <summary>
/// docker's image healthcheck (<c>config.Healthcheck</c>, from a Dockerfile's HEALTHCHECK): the test (<c>["CMD-SHELL",
/// "cmd"]</c>, <c>["CMD", …]</c>, <c>["NONE"]</c>) and durations in nanoseconds, 0 meaning the default.
/// </summary>
public sealed record HealthConfig
{
    [JsonPropertyName("Test")]
    public IReadOnlyList<string>? Test { get; init; }

    [JsonPropertyName("Interval")]
    public long Interval { get; init; }

    [JsonPropertyName("Timeout")]
    public long Timeout { get; init; }

    [JsonPropertyName("StartPeriod")]
    public long StartPeriod { get; init; }

    [JsonPropertyName("Retries")]
    public int Retries { get; init; }
}

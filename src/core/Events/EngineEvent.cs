namespace Skiff.Core.Events;

/// <summary>
/// One line of the event log: podman's events.Event (its file backend's JSON fields, same names), e.g. a container's
/// <c>start</c> or an image's <c>pull</c>.
/// </summary>
/// <param name="Type">container, image, volume, network or system.</param>
/// <param name="Status">What happened: create, start, died, pull, tag, …</param>
public sealed record EngineEvent(string Type, string Status, DateTimeOffset Time)
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? Image { get; init; }

    /// <summary>The network a container was connected to or disconnected from.</summary>
    public string? Network { get; init; }

    /// <summary>The code a <c>died</c> container ended with (podman leaves 0 out).</summary>
    public int? ContainerExitCode { get; init; }

    /// <summary>A container's health after a check (podman's <c>health_status</c> event).</summary>
    public string? HealthStatus { get; init; }

    /// <summary>A container's labels (podman's Attributes); null for other types.</summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
}

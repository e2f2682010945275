using System.Text.Json.Serialization;

namespace Skiff.Images.Manifests;

/// <summary>The execution parameters an image carries (the <c>config</c> object of the image configuration).</summary>
public sealed record ContainerConfig
{
    [JsonPropertyName("User")]
    public string? User { get; init; }

    [JsonPropertyName("ExposedPorts")]
    public IReadOnlyDictionary<string, EmptyObject>? ExposedPorts { get; init; }

    [JsonPropertyName("Env")]
    public IReadOnlyList<string>? Env { get; init; }

    [JsonPropertyName("Entrypoint")]
    public IReadOnlyList<string>? Entrypoint { get; init; }

    [JsonPropertyName("Cmd")]
    public IReadOnlyList<string>? Cmd { get; init; }

    [JsonPropertyName("Volumes")]
    public IReadOnlyDictionary<string, EmptyObject>? Volumes { get; init; }

    [JsonPropertyName("WorkingDir")]
    public string? WorkingDir { get; init; }

    [JsonPropertyName("Labels")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("StopSignal")]
    public string? StopSignal { get; init; }

    [JsonPropertyName("Healthcheck")]
    public HealthConfig? Healthcheck { get; init; }

    /// <summary>Instructions a build FROM this image runs first (docker format; a Containerfile's ONBUILD).</summary>
    [JsonPropertyName("OnBuild")]
    public IReadOnlyList<string>? OnBuild { get; init; }

    /// <summary>The shell of RUN, CMD and ENTRYPOINT shell forms (docker format; a Containerfile's SHELL).</summary>
    [JsonPropertyName("Shell")]
    public IReadOnlyList<string>? Shell { get; init; }
}

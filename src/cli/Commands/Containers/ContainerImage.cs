using Skiff.Core.Mounts;

namespace Skiff.Cli.Commands.Containers;

/// <summary>What a container takes from its image: the prepared root filesystem mounts and the image's defaults (Volumes: its VOLUME paths; Name: the image's name the user's reference resolved to; StopSignal: its STOPSIGNAL; Healthcheck: its HEALTHCHECK; Labels: its config's labels).</summary>
public sealed record ContainerImage(
    string ImageId,
    IReadOnlyList<MountSpec> RootfsMounts,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> Cmd,
    IReadOnlyList<string> Env,
    string? WorkingDir,
    string? User,
    IReadOnlyList<string> Volumes,
    IReadOnlyList<string>? ExposedPorts = null,
    string? Name = null,
    string? StopSignal = null,
    Skiff.Images.Manifests.HealthConfig? Healthcheck = null,
    IReadOnlyDictionary<string, string>? Labels = null);

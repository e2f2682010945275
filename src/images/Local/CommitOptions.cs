using Skiff.Images.Manifests;

namespace Skiff.Images.Local;

/// <summary>What <c>skiff commit</c> makes of a container's writable layer.</summary>
/// <param name="Reference">The name to give the image, or null for an untagged image.</param>
/// <param name="Config">The new image's container config before <paramref name="Changes"/>: the base image's, updated from the container.</param>
/// <param name="Changes">Dockerfile-style instructions applied to the config (<c>--change</c>).</param>
/// <param name="Author">The author (<c>-a</c>), or null.</param>
/// <param name="Comment">The history comment: the message (<c>-m</c>), or podman's <c>FROM IMAGE</c>.</param>
/// <param name="DockerFormat">Docker schema2 media types rather than OCI ones (<c>--format docker</c>).</param>
/// <param name="CreatedBy">The history entry's created_by: commit's <c>/bin/sh</c>, a build step's instruction.</param>
public sealed record CommitOptions(string? Reference, ContainerConfig Config, IReadOnlyList<string> Changes, string? Author, string Comment, bool DockerFormat, string CreatedBy = "/bin/sh");

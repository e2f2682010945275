namespace Skiff.Cli.Commands.Images.Building;

/// <summary>What <c>skiff build</c> was asked for.</summary>
/// <param name="ContextDirectory">The build context (absolute).</param>
/// <param name="Containerfile">The Containerfile's text.</param>
/// <param name="Tags">The names to give the image (-t, qualified: localhost/app:latest), the first one committed, the others tagged.</param>
/// <param name="GivenTags">The names as given (podman's COMMIT line shows the first).</param>
/// <param name="BuildArgs">--build-arg values (a name without a value takes skiff's environment's).</param>
/// <param name="Labels">--label values, set after the Containerfile's.</param>
/// <param name="PullPolicy">--pull: always, missing, never or newer.</param>
/// <param name="Network">--network for RUN, or null for run's default.</param>
/// <param name="Target">--target: the stage to build last (by name or number), or null for the last one.</param>
/// <param name="DockerFormat">--format docker (keeps HEALTHCHECK, ONBUILD and SHELL, which the OCI format has no place for).</param>
public sealed record BuildOptions(
    string ContextDirectory,
    string Containerfile,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> GivenTags,
    IReadOnlyDictionary<string, string?> BuildArgs,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    bool Quiet,
    string PullPolicy,
    string? Network,
    string? Target,
    bool DockerFormat);

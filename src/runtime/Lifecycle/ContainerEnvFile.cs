namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// <c>/run/.containerenv</c>, podman's marker that a process runs in a container (toolbox and others test that
/// it exists). As podman 4.3 it is empty unless the container is <c>--privileged</c>: then it names the engine,
/// the container and its image, and whether the engine runs rootless (a privileged container sees the host's
/// devices anyway; others are not told their name and image through it). Written into the container's
/// directory and bind-mounted by the bundle.
/// </summary>
public static class ContainerEnvFile
{
    public const string Destination = "/run/.containerenv";

    public const string FileName = "containerenv";

    /// <summary>podman's environment variable that says "in a container"; systemd tests that it is set.</summary>
    public const string Variable = "container=podman";

    /// <summary>The file's text for <paramref name="config"/>.</summary>
    public static string Text(ContainerConfig config, bool rootless, string engine)
    {
        if (!config.Privileged)
        {
            return string.Empty;
        }

        string imageId = config.ImageId is { } id && id.StartsWith("sha256:", StringComparison.Ordinal) ? id["sha256:".Length..] : config.ImageId ?? string.Empty;
        return $"engine=\"{engine}\"\nname=\"{config.Name}\"\nid=\"{config.Id}\"\nimage=\"{config.Image}\"\nimageid=\"{imageId}\"\nrootless={(rootless ? 1 : 0)}\n";
    }

    /// <summary>
    /// Writes the file in the container's directory, or rewrites it in place after a rename: the bind mount holds
    /// the inode, so a running container sees the new text (a file replaced by rename would stay the old one).
    /// </summary>
    public static void Write(string directory, ContainerConfig config, bool rootless, string engine) =>
        File.WriteAllText(Path.Combine(directory, FileName), Text(config, rootless, engine));
}

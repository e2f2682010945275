namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// A secret given to the container (--secret), resolved when it was created. Never the value: that is copied into the
/// container's own directory (<see cref="Secrets.ContainerSecretFiles"/>), so removing the secret later leaves the
/// container as it was, as podman 4.3 does.
/// </summary>
/// <param name="Name">The secret's name.</param>
/// <param name="Id">The secret's id.</param>
/// <param name="Type">"mount" (a file) or "env" (a variable).</param>
/// <param name="Target">For a mount the absolute path in the container, for env the variable's name.</param>
/// <param name="Uid">A mount's owner in the container.</param>
/// <param name="Gid">A mount's group in the container.</param>
/// <param name="Mode">A mount's permission bits.</param>
public sealed record ContainerSecret(string Name, string Id, string Type, string Target, uint Uid, uint Gid, uint Mode)
{
    public const string MountType = "mount";

    public const string EnvType = "env";

    /// <summary>podman's default mode of a mounted secret: 0444.</summary>
    public const uint DefaultMode = 0x124;

    /// <summary>podman's directory for mounted secrets given by name or a relative target.</summary>
    public const string Directory = "/run/secrets";

    public bool IsMount => Type == MountType;
}

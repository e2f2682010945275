namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// A host device given to the container (--device), resolved when it was created: podman stores only the numbers too,
/// so a node renumbered later is not followed.
/// </summary>
/// <param name="PathOnHost">The host node (symlinks resolved).</param>
/// <param name="PathInContainer">Where the container sees it.</param>
/// <param name="Permissions">The cgroup access, some of r, w and m (rwm by default).</param>
/// <param name="Type">"c" or "b".</param>
/// <param name="FileMode">The host node's permission bits, which the container's node gets.</param>
/// <param name="Uid">The host node's owner.</param>
/// <param name="Gid">The host node's group.</param>
public sealed record ContainerDevice(
    string PathOnHost,
    string PathInContainer,
    string Permissions,
    string Type,
    long Major,
    long Minor,
    uint FileMode,
    uint Uid,
    uint Gid);

namespace Skiff.Images.Local;

/// <summary>
/// What rmi or prune did, line by line as docker prints it (<c>Untagged: NAME</c>, <c>Deleted: ID</c>),
/// the per-target errors (and which of them a container's use refused), and the bytes freed.
/// </summary>
public sealed class RemovalReport
{
    public List<string> Lines { get; } = [];

    public List<(string Target, Exception Error)> Errors { get; } = [];

    /// <summary>The targets refused because a container uses the image (podman's exit 2 for rmi).</summary>
    public List<string> InUse { get; } = [];

    public List<string> DeletedIds { get; } = [];

    public long FreedBytes { get; set; }
}

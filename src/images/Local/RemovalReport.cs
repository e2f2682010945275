namespace Skiff.Images.Local;

/// <summary>
/// What rmi or prune did, line by line as docker prints it (<c>Untagged: NAME</c>, <c>Deleted: ID</c>),
/// the per-target errors, and the bytes freed.
/// </summary>
public sealed class RemovalReport
{
    public List<string> Lines { get; } = [];

    public List<(string Target, Exception Error)> Errors { get; } = [];

    public List<string> DeletedIds { get; } = [];

    public long FreedBytes { get; set; }
}

using Skiff.Core.IdMaps;

namespace Skiff.Runtime.Namespaces;

/// <summary>
/// Which namespaces a new process enters before .NET starts in it (done by the native entry stage).
/// </summary>
/// <param name="Unshare">Namespaces to create. With <see cref="NamespaceKinds.User"/>, <paramref name="Maps"/> is required.</param>
/// <param name="JoinPid">A process whose namespaces (<paramref name="Join"/>) are joined first.</param>
/// <param name="Maps">Id maps for a new user namespace.</param>
public sealed record NamespaceRequest(NamespaceKinds Unshare, int? JoinPid = null, NamespaceKinds Join = NamespaceKinds.None, IdMap? Maps = null)
{
    /// <summary>Stay at the mapped ids rather than becoming uid/gid 0 inside a new or joined user namespace.</summary>
    public bool KeepIds { get; init; }

    /// <summary>Namespaces joined through a file (a bind-mounted /run/netns/NAME or a /proc/PID/ns/TYPE), each kind at most once.</summary>
    public IReadOnlyDictionary<NamespaceKinds, string> JoinPaths { get; init; } = new Dictionary<NamespaceKinds, string>();

    /// <summary>A /proc/PID/root/PATH whose mount tree the entry stage clones first (see ClonedMount), or null.</summary>
    public string? CloneMount { get; init; }

    /// <summary>The sync socket's fd number in the child: above the descriptors an exec --preserve-fds passes at 3 and up.</summary>
    public int SyncFd { get; init; } = NamespaceLauncher.SyncFd;
}

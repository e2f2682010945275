using Skiff.Core.IdMaps;

namespace Skiff.Runtime.Namespaces;

/// <summary>
/// Writes the uid/gid maps of a process that has just unshared its user namespace.
/// Root writes /proc/PID/uid_map directly; a rootless user goes through newuidmap/newgidmap.
/// Throws <see cref="Skiff.Core.Errors.SkiffException"/> with a hint when the mapping is refused.
/// </summary>
public interface IIdMapWriter
{
    Task WriteAsync(int pid, IdMap map, CancellationToken cancellationToken = default);
}

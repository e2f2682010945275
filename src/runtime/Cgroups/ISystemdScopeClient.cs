namespace Skiff.Runtime.Cgroups;

/// <summary>
/// The part of systemd's D-Bus API skiff uses: a transient scope around a container's process with
/// Delegate=yes, so skiff may write the limits into the scope's cgroup itself (what podman does).
/// Implementations talk to the user's session bus (rootless) or the system bus (root).
/// </summary>
public interface ISystemdScopeClient
{
    /// <summary>StartTransientUnit(name, "fail", [PIDs, Delegate, Slice, Description]) and waits for the job.</summary>
    Task StartScopeAsync(SystemdScopeRequest request, CancellationToken cancellationToken = default);

    /// <summary>StopUnit(name, "fail"); a unit that no longer exists is not an error.</summary>
    Task StopScopeAsync(string unitName, CancellationToken cancellationToken = default);
}

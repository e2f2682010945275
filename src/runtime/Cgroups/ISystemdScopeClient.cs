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

    /// <summary>
    /// The cgroup of the systemd instance itself (the manager's ControlGroup property): empty for the system
    /// instance, "/user.slice/user-1000.slice/user@1000.service" for a user's on a standard machine. Its
    /// slices, and so the scopes in them, live below it.
    /// </summary>
    Task<string> GetControlGroupAsync(CancellationToken cancellationToken = default);
}

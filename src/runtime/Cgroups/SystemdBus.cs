namespace Skiff.Runtime.Cgroups;

/// <summary>Finds the D-Bus socket systemd listens on for the current user, if any.</summary>
public static class SystemdBus
{
    /// <summary>
    /// The session bus address for a rootless user ($DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus when
    /// that socket exists), or the system bus for root when systemd is PID 1. Null when there is none,
    /// which is the case on machines without systemd: skiff then uses cgroupfs.
    /// </summary>
    public static string? FindAddress(bool rootless, IReadOnlyDictionary<string, string?> environment, string runRoot = "/run")
    {
        if (!IsSystemdRunning(runRoot))
        {
            return null;
        }

        if (!rootless)
        {
            return File.Exists("/run/dbus/system_bus_socket") ? "unix:path=/run/dbus/system_bus_socket" : null;
        }

        string? address = environment.GetValueOrDefault("DBUS_SESSION_BUS_ADDRESS");
        if (!string.IsNullOrEmpty(address))
        {
            return address;
        }

        string? runtimeDir = environment.GetValueOrDefault("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtimeDir) && File.Exists(Path.Combine(runtimeDir, "bus")))
        {
            return "unix:path=" + Path.Combine(runtimeDir, "bus");
        }

        return null;
    }

    /// <summary>
    /// Whether the machine was booted with systemd (absent in many containers and CI machines), by sd_booted(3)'s
    /// test: systemd creates <c>/run/systemd/system/</c> early at boot. It is what systemd's own tools and
    /// go-systemd (podman) check, rather than PID 1's name, and a systemd user manager started in a namespace
    /// that provides the directory counts too.
    /// </summary>
    public static bool IsSystemdRunning(string runRoot = "/run") => Directory.Exists(Path.Combine(runRoot, "systemd", "system"));
}

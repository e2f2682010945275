namespace Skiff.Runtime.Cgroups;

/// <summary>Finds the D-Bus socket systemd listens on for the current user, if any.</summary>
public static class SystemdBus
{
    /// <summary>
    /// The session bus address for a rootless user ($DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus when
    /// that socket exists), or the system bus for root when systemd is PID 1. Null when there is none,
    /// which is the case on machines without systemd: skiff then uses cgroupfs.
    /// </summary>
    public static string? FindAddress(bool rootless, IReadOnlyDictionary<string, string?> environment, string procRoot = "/proc")
    {
        if (!IsSystemdRunning(procRoot))
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

    /// <summary>systemd as PID 1 is what makes scopes possible at all (it is absent in many containers and CI machines).</summary>
    public static bool IsSystemdRunning(string procRoot = "/proc")
    {
        try
        {
            return File.ReadAllText(Path.Combine(procRoot, "1", "comm")).Trim() == "systemd";
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}

using Skiff.Core.Errors;

namespace Skiff.Runtime.Cgroups;

/// <summary>Best-effort operations on a container's cgroup when it ends or is stopped (the monitor, rm, stop).</summary>
public static class CgroupCleanup
{
    public static bool WasOomKilled(string group)
    {
        try
        {
            return Open().WasOomKilled(group);
        }
        catch (Exception e) when (e is SkiffException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <param name="group">The container's group.</param>
    /// <param name="systemd">True when the group is a systemd scope: systemd is asked to stop it first.</param>
    public static void TryRemove(string group, bool systemd = false)
    {
        if (systemd)
        {
            Systemd.SystemdScopes.TryStop(Path.GetFileName(group), Skiff.Core.Users.CurrentUser.Detect());
        }

        try
        {
            Open().Remove(group);
        }
        catch (Exception e) when (e is SkiffException or IOException or UnauthorizedAccessException)
        {
        }
    }

    public static void TryThaw(string group)
    {
        try
        {
            Open().Thaw(group);
        }
        catch (Exception e) when (e is SkiffException or IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The cgroupfs manager of this machine's layout, for operations on a group recorded earlier.</summary>
    public static ICgroupManager Open()
    {
        CgroupLayout layout = CgroupLayoutDetector.Detect();
        return layout.Mode == CgroupMode.Unified ? new CgroupV2Manager(layout.UnifiedMount!) : new CgroupV1Manager(layout);
    }
}

using Skiff.Core.Errors;

namespace Skiff.Runtime.Cgroups;

/// <summary>
/// Chooses the cgroup manager for a container, podman's order: systemd when a bus and a client exist,
/// cgroupfs on v2, cgroupfs on v1 for root. Returns null when the container runs without a cgroup of its
/// own (rootless without delegation and no limits asked); throws when asked limits cannot be enforced.
/// </summary>
public static class CgroupManagerSelector
{
    public const string RootlessV1Hint =
        "rootless containers can only be limited with cgroup v2 and a delegated cgroup: run as root, "
        + "or boot with systemd.unified_cgroup_hierarchy=1 and enable delegation (https://rootlesscontaine.rs/getting-started/common/cgroup2/)";

    /// <param name="layout">The machine's cgroup mounts.</param>
    /// <param name="rootless">True for an unprivileged user.</param>
    /// <param name="resources">The limits the container asks for.</param>
    /// <param name="systemd">A scope client when a systemd bus was found, else null.</param>
    /// <param name="delegation">For a rootless user on v2: what the user may do (from <see cref="CgroupDelegation.Probe"/>).</param>
    /// <param name="parent">--cgroup-parent: the parent group (cgroupfs; under the delegated group rootless) or slice (systemd); null for skiff's.</param>
    public static ICgroupManager? Select(
        CgroupLayout layout,
        bool rootless,
        CgroupResources resources,
        ISystemdScopeClient? systemd,
        CgroupDelegation? delegation,
        string? parent = null)
    {
        string? group = parent?.Trim('/');
        if (systemd is not null && parent is not null && !IsSlice(parent))
        {
            throw SkiffException.InvalidArgument(
                $"did not receive a valid systemd slice as cgroup parent: \"{parent}\"",
                "give --cgroup-parent a slice such as machine-web.slice, or use --cgroup-manager=cgroupfs");
        }

        string? firstFlag = resources.RequiredControllers().Select(c => c.Flag).FirstOrDefault();
        if (layout.Mode == CgroupMode.None)
        {
            return firstFlag is null
                ? null
                : throw SkiffException.PrerequisiteMissing($"cannot apply {firstFlag}: no cgroup filesystem is mounted", "mount cgroup2 on /sys/fs/cgroup");
        }

        if (!rootless)
        {
            if (layout.Mode == CgroupMode.Unified)
            {
                return systemd is not null
                    ? new SystemdCgroupManager(systemd, layout.UnifiedMount!, parent ?? "machine.slice")
                    : new CgroupV2Manager(layout.UnifiedMount!, group ?? "skiff");
            }

            return new CgroupV1Manager(layout, group ?? "skiff");
        }

        if (layout.Mode != CgroupMode.Unified)
        {
            return firstFlag is null
                ? null
                : throw SkiffException.PrerequisiteMissing(
                    $"cannot apply {firstFlag}: this machine uses cgroup v1 ({layout.Mode.ToString().ToLowerInvariant()} mode), which an unprivileged user cannot manage",
                    RootlessV1Hint);
        }

        if (systemd is not null)
        {
            return new SystemdCgroupManager(systemd, layout.UnifiedMount!, parent ?? "user.slice");
        }

        if (delegation is { Writable: true, Group: not null })
        {
            foreach ((string controller, string flag) in resources.RequiredControllers())
            {
                string name = controller == "blkio" ? "io" : controller;
                if (!delegation.Controllers.Contains(name))
                {
                    throw SkiffException.PrerequisiteMissing(
                        $"cannot apply {flag}: the {name} controller is not delegated to your cgroup /{delegation.Group}",
                        "delegate it: add Delegate=" + name + " to user@.service (https://rootlesscontaine.rs/getting-started/common/cgroup2/)");
                }
            }

            // A parent inside the delegated group already (--cgroups=split's own group) stays as it is.
            string delegated = group is not null && group.StartsWith(delegation.Group.Trim('/') + "/", StringComparison.Ordinal) ? group : delegation.Group + "/" + (group ?? "skiff");
            return new CgroupV2Manager(layout.UnifiedMount!, delegated, "delegate the controller to your user (https://rootlesscontaine.rs/getting-started/common/cgroup2/)");
        }

        return firstFlag is null
            ? null
            : throw SkiffException.PrerequisiteMissing(
                $"cannot apply {firstFlag}: your cgroup {(delegation?.Group is null ? string.Empty : "/" + delegation.Group + " ")}is not delegated to you and there is no systemd user session to create one",
                "log in through systemd-logind (loginctl enable-linger " + Environment.UserName + ") on a cgroup v2 machine with delegation, or run as root");
    }

    /// <summary>A systemd slice unit's name (machine.slice, machine-web.slice), as the systemd manager needs for a parent.</summary>
    private static bool IsSlice(string parent) => parent.EndsWith(".slice", StringComparison.Ordinal) && !parent.Contains('/');
}

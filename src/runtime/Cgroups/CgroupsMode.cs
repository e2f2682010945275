using Skiff.Core.Errors;

namespace Skiff.Runtime.Cgroups;

/// <summary>
/// podman's --cgroups: <c>enabled</c> (a group of the container's own, the default), <c>disabled</c> (none: the container
/// stays in its monitor's group, which is the caller's), <c>no-conmon</c> (podman's conmon gets no group; skiff's
/// monitor never gets one, so it is <c>enabled</c> here) and <c>split</c> (the container's group under the caller's
/// own cgroup v2 group).
/// </summary>
public static class CgroupsMode
{
    public const string Enabled = "enabled";

    public const string Disabled = "disabled";

    public const string NoConmon = "no-conmon";

    public const string Split = "split";

    public static string Parse(string? value) => value switch
    {
        null or "" => Enabled,
        Enabled or Disabled or NoConmon or Split => value,
        _ => throw SkiffException.InvalidArgument($"running container create option: invalid cgroup mode \"{value}\": invalid argument", "use --cgroups enabled, disabled, no-conmon or split"),
    };

    /// <summary>A --cgroup-parent fit for <paramref name="mode"/>: no "." or ".." segments (a group outside the hierarchy), none with disabled or split (podman's errors).</summary>
    public static string? CheckParent(string? parent, string mode)
    {
        if (parent is null)
        {
            return null;
        }

        if (mode == Disabled)
        {
            throw SkiffException.InvalidArgument("cannot set cgroup parent if not creating cgroups: invalid argument", "drop --cgroup-parent, or --cgroups=disabled");
        }

        if (mode == Split)
        {
            throw SkiffException.InvalidArgument("cannot specify --cgroup-parent with --cgroups=split: invalid argument", "drop one of them");
        }

        if (parent.Length == 0 || parent.Split('/').Any(segment => segment is "." or ".."))
        {
            throw SkiffException.InvalidArgument($"invalid cgroup parent \"{parent}\"", "give a path of group names, e.g. --cgroup-parent /batch or batch/low");
        }

        return parent;
    }

    /// <summary>split: the caller's own cgroup v2 group (from /proc/self/cgroup) as the parent.</summary>
    public static string SplitParent(CgroupLayout layout, string procSelfCgroup = "/proc/self/cgroup")
    {
        string? own = layout.Mode == CgroupMode.Unified
            ? File.ReadLines(procSelfCgroup).FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal))?[3..]
            : null;
        return own ?? throw SkiffException.PrerequisiteMissing(
            $"could not find cgroup mount in \"{procSelfCgroup}\"",
            "--cgroups=split needs cgroup v2 (unified); use --cgroups=enabled");
    }
}

using System.Globalization;
using Skiff.Rootless.IdMaps;
using Skiff.Rootless.Network;
using Skiff.Runtime.Cgroups;

namespace Skiff.Rootless.Checks;

/// <summary>Examines the machine for what rootless containers need and returns every problem with its fix.</summary>
public static class SystemChecker
{
    public static IReadOnlyList<SystemProblem> Run(SystemCheckOptions o, CgroupLayout layout, CgroupDelegation? delegation)
    {
        var problems = new List<SystemProblem>();
        if (o.Rootless)
        {
            CheckSubordinate(o, problems, o.SubuidPath, "subuid", "--add-subuids");
            CheckSubordinate(o, problems, o.SubgidPath, "subgid", "--add-subgids");
            CheckSetuid(o, problems, "newuidmap");
            CheckSetuid(o, problems, "newgidmap");
            CheckRuntimeDirectory(o, problems);
            CheckLinger(o, problems);
            CheckCgroups(o, problems, layout, delegation);
            CheckOverlay(o, problems);
        }

        CheckDevice(problems, o.TunPath, "tun", "pasta and slirp4netns need it for rootless networking");
        CheckDevice(problems, o.FusePath, "fuse", "fuse-overlayfs needs it where kernel overlay is not usable");
        CheckNetworkHelpers(o, problems);
        return problems;
    }

    private static void CheckSubordinate(SystemCheckOptions o, List<SystemProblem> problems, string path, string kind, string usermodFlag)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException)
        {
            text = string.Empty;
        }

        IReadOnlyList<SubordinateRange> own = SubordinateIdFile.Parse(text, o.UserName, o.Uid);
        string fix = $"as root: usermod {usermodFlag} 100000-165535 {o.UserName} (choose a range no other user has)";
        if (own.Count == 0)
        {
            problems.Add(new SystemProblem(kind, $"{o.UserName} has no subordinate {(kind == "subuid" ? "uid" : "gid")} range in {path}", fix));
            return;
        }

        if (own.Count > 1)
        {
            // newuidmap refuses a second line for the same user ("write to uid_map failed: Invalid argument").
            problems.Add(new SystemProblem(kind, $"{o.UserName} has {own.Count} lines in {path}; newuidmap fails with more than one", $"as root: keep one line for {o.UserName} in {path}"));
        }

        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] f = line.Split(':');
            if (f.Length != 3 || f[0] == o.UserName || f[0] == o.Uid.ToString(CultureInfo.InvariantCulture)
                || !ulong.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong start)
                || !ulong.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out ulong count))
            {
                continue;
            }

            foreach (SubordinateRange range in own)
            {
                if (start < range.Start + range.Count && range.Start < start + count)
                {
                    problems.Add(new SystemProblem(kind, $"the {kind} range of {o.UserName} ({range.Start}+{range.Count}) overlaps the range of {f[0]} in {path}", $"as root: give {o.UserName} a range no other user has in {path}"));
                }
            }
        }
    }

    private static void CheckSetuid(SystemCheckOptions o, List<SystemProblem> problems, string program)
    {
        string? path = Find(o, program);
        if (path is null)
        {
            problems.Add(new SystemProblem(program, $"{program} is not installed", "as root: apt-get install uidmap (Fedora: dnf install shadow-utils)"));
            return;
        }

        // The setuid bit (Debian) or file capabilities (Fedora's security.capability xattr) make it work.
        // Only the bit is checked: reading xattrs needs a syscall wrapper this project does not have yet,
        // so the fix names both.
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.SetUser) == 0)
        {
            problems.Add(new SystemProblem(program, $"{path} is neither setuid nor has file capabilities", $"as root: chmod u+s {path} (or setcap cap_setuid+ep {path})"));
        }
    }

    private static void CheckDevice(List<SystemProblem> problems, string path, string name, string why)
    {
        if (!File.Exists(path))
        {
            problems.Add(new SystemProblem(name, $"{path} does not exist; {why}", $"as root: modprobe {name}"));
            return;
        }

        if (!DeviceAccess.CanOpenReadWrite(path))
        {
            problems.Add(new SystemProblem(name, $"{path} is not accessible to you; {why}", $"as root: chmod 0666 {path}"));
        }
    }

    private static void CheckRuntimeDirectory(SystemCheckOptions o, List<SystemProblem> problems)
    {
        if (string.IsNullOrEmpty(o.RuntimeDirectory))
        {
            problems.Add(new SystemProblem("XDG_RUNTIME_DIR", "XDG_RUNTIME_DIR is not set; skiff keeps container state in a temporary directory instead", $"log in through a PAM session with pam_systemd, or export XDG_RUNTIME_DIR=/run/user/{o.Uid} (owned by you, mode 0700)"));
            return;
        }

        if (!Directory.Exists(o.RuntimeDirectory))
        {
            problems.Add(new SystemProblem("XDG_RUNTIME_DIR", $"XDG_RUNTIME_DIR {o.RuntimeDirectory} does not exist", $"as root: install -d -m 0700 -o {o.UserName} {o.RuntimeDirectory}"));
            return;
        }

        uint? owner = o.OwnerOf?.Invoke(o.RuntimeDirectory);
        if (owner is not null && owner != o.Uid)
        {
            problems.Add(new SystemProblem("XDG_RUNTIME_DIR", $"XDG_RUNTIME_DIR {o.RuntimeDirectory} is owned by uid {owner}, not by you", $"as root: chown {o.UserName} {o.RuntimeDirectory}, or point XDG_RUNTIME_DIR at a directory you own"));
        }
    }

    private static void CheckLinger(SystemCheckOptions o, List<SystemProblem> problems)
    {
        if (o.SystemdRunning && !File.Exists(Path.Combine(o.LingerDirectory, o.UserName)))
        {
            problems.Add(new SystemProblem("linger", "lingering is disabled: systemd kills your containers when you log out", $"loginctl enable-linger {o.UserName}"));
        }
    }

    private static void CheckCgroups(SystemCheckOptions o, List<SystemProblem> problems, CgroupLayout layout, CgroupDelegation? delegation)
    {
        _ = o;
        if (layout.Mode != CgroupMode.Unified)
        {
            problems.Add(new SystemProblem("cgroups", $"cgroup v1 ({layout.Mode.ToString().ToLowerInvariant()}): resource limits (--memory, --cpus, --pids-limit) cannot be enforced for rootless containers", CgroupManagerSelector.RootlessV1Hint));
        }
        else if (delegation is not { Writable: true })
        {
            problems.Add(new SystemProblem("cgroups", "no cgroup is delegated to you: resource limits cannot be enforced for rootless containers", "enable delegation for user@.service (https://rootlesscontaine.rs/getting-started/common/cgroup2/)"));
        }
        else
        {
            string[] missing = new[] { "memory", "pids", "cpu" }.Where(c => !delegation.Controllers.Contains(c)).ToArray();
            if (missing.Length > 0)
            {
                problems.Add(new SystemProblem("cgroups", $"controllers not delegated to you: {string.Join(' ', missing)}", "add them to Delegate= of user@.service"));
            }
        }
    }

    private static void CheckNetworkHelpers(SystemCheckOptions o, List<SystemProblem> problems)
    {
        if (Find(o, "pasta") is null && Find(o, "slirp4netns") is null)
        {
            problems.Add(new SystemProblem("network", "neither pasta nor slirp4netns is installed: rootless containers get no network", "as root: apt-get install passt (or slirp4netns)"));
            return;
        }

        if (o.NetworkHelpers is not { } facts)
        {
            return;
        }

        if (Find(o, "pasta") is { } pasta && facts.PastaMissingOptions.Count > 0)
        {
            problems.Add(new SystemProblem("pasta", $"{pasta} is too old: it lacks {string.Join(", ", facts.PastaMissingOptions)}, which skiff passes", "as root: install a newer passt (Debian 12's 2023-03 build or later; tests/setup/passt.sh builds Debian 13's into /usr/local/lib/skiff/helpers), or remove it so skiff uses slirp4netns"));
        }

        if (Find(o, "slirp4netns") is { } slirp && (facts.Slirp4netnsVersion is null || facts.Slirp4netnsVersion < NetworkHelperProbe.MinimumSlirp4netns))
        {
            string what = facts.Slirp4netnsVersion is null ? "does not report a version" : $"is version {facts.Slirp4netnsVersion}";
            problems.Add(new SystemProblem("slirp4netns", $"{slirp} {what}; skiff needs {NetworkHelperProbe.MinimumSlirp4netns} or newer (--enable-sandbox, --netns-type, --api-socket)", "as root: apt-get install slirp4netns (1.x), or install passt so skiff uses pasta"));
        }
    }

    private static void CheckOverlay(SystemCheckOptions o, List<SystemProblem> problems)
    {
        if (o.OverlayInUserNamespace == false)
        {
            string fallback = o.FallbackStorageDriver ?? "a slower storage driver";
            problems.Add(new SystemProblem("overlay", $"kernel overlay cannot be mounted in a user namespace here (Linux before 5.11, or a distribution that forbids it); skiff uses {fallback} instead", fallback == "vfs"
                ? "as root: apt-get install fuse-overlayfs (much faster than vfs), or boot a kernel 5.11 or newer"
                : "boot a kernel 5.11 or newer for native overlay (fuse-overlayfs works, but costs CPU)"));
        }
    }

    /// <summary>The first executable regular file named <paramref name="program"/> in the program directories.</summary>
    private static string? Find(SystemCheckOptions o, string program) =>
        o.ProgramDirectories.Select(d => Path.Combine(d, program)).FirstOrDefault(IsExecutable);

    private static bool IsExecutable(string path) =>
        File.Exists(path) && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}

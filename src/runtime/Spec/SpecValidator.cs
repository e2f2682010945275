using Skiff.Core.Errors;

namespace Skiff.Runtime.Spec;

/// <summary>
/// Checks a spec before anything is created, so a bad bundle fails with one clear error instead of
/// a half-built container. Only what the runtime relies on is checked; unknown extras are ignored.
/// </summary>
public static class SpecValidator
{
    private static readonly HashSet<string> NamespaceTypes = ["pid", "network", "mount", "ipc", "uts", "user", "cgroup"];

    private static readonly HashSet<string> Propagations = ["", "private", "rprivate", "slave", "rslave", "shared", "rshared", "unbindable", "runbindable"];

    private static readonly HashSet<string> SeccompActions =
    [
        "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO",
        "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
    ];

    private static readonly HashSet<string> SeccompOperators =
    [
        "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
    ];

    /// <summary>Throws an invalid-argument error listing every problem found.</summary>
    public static void Validate(RuntimeSpec spec)
    {
        List<string> problems = Check(spec);
        if (problems.Count > 0)
        {
            throw SkiffException.InvalidArgument($"invalid runtime spec: {string.Join("; ", problems)}");
        }
    }

    public static List<string> Check(RuntimeSpec spec)
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(spec.OciVersion) || !spec.OciVersion.StartsWith("1.", StringComparison.Ordinal))
        {
            problems.Add($"ociVersion `{spec.OciVersion}` is not supported (want 1.x)");
        }

        if (spec.Root is null || string.IsNullOrEmpty(spec.Root.Path))
        {
            problems.Add("root.path is required");
        }

        CheckProcess(spec.Process, problems);
        foreach (SpecMount mount in spec.Mounts)
        {
            if (!mount.Destination.StartsWith('/'))
            {
                problems.Add($"mount destination `{mount.Destination}` must be an absolute path");
            }
        }

        if (spec.Linux is null)
        {
            problems.Add("linux is required");
            return problems;
        }

        CheckLinux(spec, spec.Linux, problems);
        return problems;
    }

    private static void CheckProcess(ProcessSpec? process, List<string> problems)
    {
        if (process is null)
        {
            problems.Add("process is required");
            return;
        }

        if (process.Args.Count == 0 || string.IsNullOrEmpty(process.Args[0]))
        {
            problems.Add("process.args must name the program to run");
        }

        if (!process.Cwd.StartsWith('/'))
        {
            problems.Add($"process.cwd `{process.Cwd}` must be an absolute path");
        }

        foreach (string variable in process.Env)
        {
            if (!variable.Contains('=', StringComparison.Ordinal) || variable.StartsWith('='))
            {
                problems.Add($"process.env entry `{variable}` is not NAME=VALUE");
            }
        }

        if (process.Capabilities is CapabilitiesSpec caps)
        {
            foreach (string name in new[] { caps.Bounding, caps.Effective, caps.Inheritable, caps.Permitted, caps.Ambient }
                .Where(set => set is not null).SelectMany(set => set!))
            {
                if (!Capabilities.TryParse(name, out _))
                {
                    problems.Add($"unknown capability `{name}`");
                }
            }
        }

        foreach (RlimitSpec limit in process.Rlimits ?? [])
        {
            if (!Rlimits.TryParse(limit.Type, out _))
            {
                problems.Add($"unknown rlimit `{limit.Type}`");
            }
            else if (limit.Soft > limit.Hard)
            {
                problems.Add($"{limit.Type}: soft limit {limit.Soft} is above the hard limit {limit.Hard}");
            }
        }
    }

    private static void CheckLinux(RuntimeSpec spec, LinuxSpec linux, List<string> problems)
    {
        var seen = new HashSet<string>();
        foreach (NamespaceSpec ns in linux.Namespaces)
        {
            if (!NamespaceTypes.Contains(ns.Type))
            {
                problems.Add($"unknown namespace type `{ns.Type}`");
            }
            else if (!seen.Add(ns.Type))
            {
                problems.Add($"namespace `{ns.Type}` is listed twice");
            }

            if (ns.Path is { } path && !path.StartsWith('/'))
            {
                problems.Add($"namespace path `{path}` must be absolute");
            }
        }

        bool newUser = linux.Namespaces.Any(n => n.Type == "user" && n.Path is null);
        if (newUser && ((linux.UidMappings?.Count ?? 0) == 0 || (linux.GidMappings?.Count ?? 0) == 0))
        {
            problems.Add("a new user namespace needs linux.uidMappings and linux.gidMappings");
        }

        if (!newUser && ((linux.UidMappings?.Count ?? 0) > 0 || (linux.GidMappings?.Count ?? 0) > 0))
        {
            problems.Add("linux.uidMappings/gidMappings need a new user namespace");
        }

        foreach (IdMappingSpec mapping in (linux.UidMappings ?? []).Concat(linux.GidMappings ?? []))
        {
            if (mapping.Size == 0)
            {
                problems.Add($"id mapping {mapping.ContainerId}:{mapping.HostId} has size 0");
            }
        }

        if (!string.IsNullOrEmpty(spec.Hostname) && !linux.Namespaces.Any(n => n.Type == "uts" && n.Path is null))
        {
            problems.Add("setting the hostname needs a new uts namespace");
        }

        if (!linux.Namespaces.Any(n => n.Type == "mount"))
        {
            problems.Add("skiff needs a mount namespace (linux.namespaces must list `mount`)");
        }

        if (linux.Personality is { Domain: not (PersonalitySpec.Linux or PersonalitySpec.Linux32) } personality)
        {
            problems.Add($"unknown personality domain `{personality.Domain}` (LINUX or LINUX32)");
        }

        if (linux.RootfsPropagation is { } propagation && !Propagations.Contains(propagation))
        {
            problems.Add($"unknown rootfsPropagation `{propagation}`");
        }

        foreach (string path in (linux.MaskedPaths ?? []).Concat(linux.ReadonlyPaths ?? []))
        {
            if (!path.StartsWith('/'))
            {
                problems.Add($"masked/readonly path `{path}` must be absolute");
            }
        }

        foreach (string key in linux.Sysctl?.Keys ?? Enumerable.Empty<string>())
        {
            if (key.Length == 0 || key.Contains("..", StringComparison.Ordinal) || key.StartsWith('/') || key.StartsWith('.'))
            {
                problems.Add($"sysctl `{key}` is not a valid name");
            }
        }

        foreach (DeviceSpec device in linux.Devices ?? [])
        {
            if (!device.Path.StartsWith("/dev/", StringComparison.Ordinal))
            {
                problems.Add($"device path `{device.Path}` must be under /dev");
            }

            if (device.Type is not ("c" or "b" or "u" or "p"))
            {
                problems.Add($"device {device.Path}: unknown type `{device.Type}`");
            }
        }

        if (linux.Seccomp is SeccompSpec seccomp)
        {
            CheckSeccomp(seccomp, problems);
        }
    }

    private static void CheckSeccomp(SeccompSpec seccomp, List<string> problems)
    {
        if (!SeccompActions.Contains(seccomp.DefaultAction))
        {
            problems.Add($"unknown seccomp action `{seccomp.DefaultAction}`");
        }

        foreach (SeccompSyscall rule in seccomp.Syscalls ?? [])
        {
            if (!SeccompActions.Contains(rule.Action))
            {
                problems.Add($"unknown seccomp action `{rule.Action}`");
            }

            foreach (SeccompArg arg in rule.Args ?? [])
            {
                if (arg.Index > 5)
                {
                    problems.Add($"seccomp argument index {arg.Index} is above 5");
                }

                if (!SeccompOperators.Contains(arg.Op))
                {
                    problems.Add($"unknown seccomp operator `{arg.Op}`");
                }
            }
        }
    }
}

using System.Runtime.InteropServices;
using System.Text;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Process;

/// <summary>Process-wide settings the init applies before it waits for start.</summary>
public static unsafe class InitProcessSettings
{
    /// <summary>
    /// A non-dumpable process's /proc/PID entries (exe, fd, mem, …) are out of reach for anything
    /// without CAP_SYS_PTRACE over the user namespace skiff was executed in: this keeps the container
    /// from opening the skiff binary through /proc/PID/exe (CVE-2019-5736). execve resets it.
    /// </summary>
    public static void HideFromContainer()
    {
        if (Libc.prctl(Libc.PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        {
            throw new SystemCallException("prctl(PR_SET_DUMPABLE)", null, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>
    /// A cgroup namespace is rooted where its creator was at unshare(2) time. The init's came with its other
    /// namespaces, before the engine moved it into the container's group; once it is there (start has been
    /// asked for), a nested one rooted at that group shows the container "/" for it in /proc/self/cgroup, as
    /// runc and crun do by unsharing the cgroup namespace last.
    /// </summary>
    public static void RootCgroupNamespaceHere()
    {
        if (Libc.unshare(Libc.CLONE_NEWCGROUP) != 0)
        {
            throw new SystemCallException("unshare(CLONE_NEWCGROUP)", null, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>
    /// A process without a terminal still leads a session and process group of its own inside the container (pgid
    /// and sid are its own pid, 1 for the init), as runc makes it: otherwise both belong to the monitor, outside the
    /// container's pid namespace, where the container sees them as 0.
    /// </summary>
    public static void NewSession()
    {
        if (Libc.setsid() < 0)
        {
            throw new SystemCallException("setsid", null, Marshal.GetLastPInvokeError());
        }
    }

    public static void SetHostname(string name)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(name);
        fixed (byte* p = bytes)
        {
            if (Libc.sethostname(p, bytes.Length) != 0)
            {
                throw new SystemCallException("sethostname", name, Marshal.GetLastPInvokeError());
            }
        }
    }

    /// <summary>
    /// The spec's linux.personality, as crun sets it: the execution domain, kept across the exec (LINUX32 makes uname
    /// report i686 on x86_64). Before seccomp, whose default profile allows only these personalities anyway.
    /// </summary>
    public static void SetPersonality(PersonalitySpec personality)
    {
        uint persona = personality.Domain switch
        {
            PersonalitySpec.Linux => Libc.PER_LINUX,
            PersonalitySpec.Linux32 => Libc.PER_LINUX32,
            _ => throw SkiffException.InvalidArgument($"unknown personality domain `{personality.Domain}`: use LINUX or LINUX32"),
        };
        if ((personality.Flags?.Count ?? 0) > 0)
        {
            throw SkiffException.InvalidArgument("personality flags are not supported", "leave linux.personality.flags empty");
        }

        if (Libc.personality(persona) == -1)
        {
            throw new SystemCallException("personality", personality.Domain, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>
    /// Never above the current hard limit: raising it needs CAP_SYS_RESOURCE, which root lacks on
    /// some hosts (crun fails there); a higher request is clamped instead.
    /// </summary>
    public static void ApplyRlimits(IEnumerable<RlimitSpec> limits)
    {
        foreach (RlimitSpec limit in limits)
        {
            if (!Rlimits.TryParse(limit.Type, out int resource))
            {
                throw SkiffException.InvalidArgument($"unknown rlimit `{limit.Type}`");
            }

            ulong hard = Math.Min(limit.Hard, HardLimit(resource, limit.Type));
            var wanted = new Libc.Rlimit { Current = Math.Min(limit.Soft, hard), Max = hard };
            if (Libc.prlimit(0, resource, &wanted, null) != 0)
            {
                throw new SystemCallException("setrlimit", limit.Type, Marshal.GetLastPInvokeError());
            }
        }
    }

    /// <summary>This process's hard limit of <paramref name="resource"/> (<paramref name="type"/> names it in errors).</summary>
    internal static ulong HardLimit(int resource, string type)
    {
        Libc.Rlimit current;
        if (Libc.prlimit(0, resource, null, &current) != 0)
        {
            throw new SystemCallException("getrlimit", type, Marshal.GetLastPInvokeError());
        }

        return current.Max;
    }
}

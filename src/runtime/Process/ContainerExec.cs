using System.Runtime.InteropServices;
using System.Text;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;
using Skiff.Runtime.Seccomp;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Process;

/// <summary>
/// The last step of the init: identity, capabilities, no_new_privs, seccomp, descriptors, execve.
/// Capabilities, no_new_privs and the seccomp filter belong to a thread, and execve keeps only the
/// calling thread, so everything from the capability drop on runs here, synchronously, on one thread.
/// </summary>
public static unsafe class ContainerExec
{
    /// <summary>Never returns: execs, or reports on stderr and exits 127 (not found) / 126 (cannot execute) / 125.</summary>
    /// <param name="seccomp">The filter to load on this thread, or null.</param>
    /// <param name="keepGroups">Leave the supplementary groups inherited from the caller as they are (crun's run.oci.keep_original_groups).</param>
    /// <param name="preservedFds">Descriptors 3..3+N-1 stay open across execve (exec --preserve-fds).</param>
    public static void Exec(ProcessSpec process, string executable, SeccompFilter? seccomp, bool keepGroups = false, int preservedFds = 0)
    {
        RestoreIgnoredSignals();
        try
        {
            if (process.OomScoreAdj is int oomScoreAdj)
            {
                // Inherited by every process the container starts; raising it needs no privilege, lowering it
                // below the current value needs CAP_SYS_RESOURCE of the host (proc(5)).
                WriteOomScoreAdj(oomScoreAdj);
            }

            // Without no_new_privs the kernel loads a filter only for a holder of CAP_SYS_ADMIN, so it
            // goes in before the capabilities are dropped (as runc does); the profile must then allow
            // the few calls that remain (capset, setresuid, prctl, close_range, execve).
            if (!process.NoNewPrivileges)
            {
                seccomp?.Install();
            }

            SetIdentityAndCapabilities(process, keepGroups);
            if (process.NoNewPrivileges)
            {
                Check(Libc.prctl(Libc.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)");
                seccomp?.Install();
            }

            // Mark every descriptor above stdio close-on-exec rather than closing them now: the
            // runtime's other threads may still be using theirs until execve ends them.
            Check(Libc.close_range((uint)(3 + preservedFds), uint.MaxValue, Libc.CLOSE_RANGE_CLOEXEC), "close_range");
        }
        catch (SkiffException e)
        {
            Die($"skiff: {e.Message}", 125);
        }

        byte[][] argv = [.. process.Args.Select(ProcessImage.CString)];
        byte[][] envp = [.. process.Env.Select(ProcessImage.CString)];
        byte[] path = ProcessImage.CString(executable);
        int errno = ProcessImage.TryExec(path, argv, envp);
        Die(ExecutableLookup.Failure(process.Args[0], errno).Message, errno == Errnos.ENOENT ? 127 : 126);
    }

    /// <summary>
    /// execve keeps ignored signals ignored, and .NET ignores SIGPIPE: without this the container's
    /// processes would not die of a closed pipe (`yes | head` would spin forever). Handled signals
    /// need nothing, execve resets them; glibc's own (32, 33) are left as they are only if not ignored.
    /// </summary>
    private static void RestoreIgnoredSignals()
    {
        for (int signal = 1; signal <= 64; signal++)
        {
            Libc.DefaultIfIgnored(signal);
        }
    }

    private static void SetIdentityAndCapabilities(ProcessSpec process, bool keepGroups)
    {
        UserSpec user = process.User;
        CapabilitiesSpec caps = process.Capabilities ?? new CapabilitiesSpec();
        ulong bounding = Capabilities.Mask(caps.Bounding);

        // Keep the permitted set across the switch away from uid 0; capset trims it below.
        Check(Libc.prctl(Libc.PR_SET_KEEPCAPS, 1, 0, 0, 0), "prctl(PR_SET_KEEPCAPS)");
        for (int cap = 0; cap < 64; cap++)
        {
            if ((bounding & (1UL << cap)) != 0)
            {
                continue;
            }

            if (Libc.prctl(Libc.PR_CAPBSET_DROP, (ulong)cap, 0, 0, 0) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errnos.EINVAL)
                {
                    break; // above the kernel's last capability
                }

                throw new SystemCallException("prctl(PR_CAPBSET_DROP)", cap.ToString(System.Globalization.CultureInfo.InvariantCulture), errno);
            }
        }

        uint[] groups = [.. user.AdditionalGids ?? []];
        fixed (uint* g = groups)
        {
            if (!keepGroups && Libc.SetGroupsOfThread(groups.Length, g) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();

                // A user namespace whose setgroups is "deny" cannot change groups at all; that is
                // only an error when the spec asks for supplementary groups.
                if (errno != Errnos.EPERM || groups.Length > 0)
                {
                    throw new SystemCallException("setgroups", null, errno);
                }
            }
        }

        Check(Libc.SetResGidOfThread(user.Gid, user.Gid, user.Gid), "setresgid");
        Check(Libc.SetResUidOfThread(user.Uid, user.Uid, user.Uid), "setresuid");
        if (user.Umask is uint mask)
        {
            Libc.umask(mask);
        }

        ulong effective = Capabilities.Mask(caps.Effective);
        ulong permitted = Capabilities.Mask(caps.Permitted);
        ulong inheritable = Capabilities.Mask(caps.Inheritable);
        var header = new Libc.CapHeader { Version = Libc.LINUX_CAPABILITY_VERSION_3, Pid = 0 };
        Libc.CapData* data = stackalloc Libc.CapData[2];
        data[0] = new Libc.CapData { Effective = (uint)effective, Permitted = (uint)permitted, Inheritable = (uint)inheritable };
        data[1] = new Libc.CapData { Effective = (uint)(effective >> 32), Permitted = (uint)(permitted >> 32), Inheritable = (uint)(inheritable >> 32) };
        Check(Libc.capset(&header, data), "capset");

        Check(Libc.prctl(Libc.PR_CAP_AMBIENT, Libc.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
        foreach (string name in caps.Ambient ?? [])
        {
            // The kernel only raises an ambient capability that is also permitted and inheritable;
            // specs often list ambient ones without inheritable (crun's default), so, as runc and
            // crun do, such a request is skipped rather than fatal.
            if (Capabilities.TryParse(name, out int cap)
                && Libc.prctl(Libc.PR_CAP_AMBIENT, Libc.PR_CAP_AMBIENT_RAISE, (ulong)cap, 0, 0) != 0
                && Marshal.GetLastPInvokeError() != Errnos.EPERM)
            {
                throw new SystemCallException($"prctl(PR_CAP_AMBIENT_RAISE, {name})", null, Marshal.GetLastPInvokeError());
            }
        }
    }

    private static void WriteOomScoreAdj(int value)
    {
        try
        {
            File.WriteAllText("/proc/self/oom_score_adj", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SkiffException(ErrorKind.PermissionDenied, 
                $"write /proc/self/oom_score_adj: {value}: {e.Message}",
                "lowering --oom-score-adj below the current value needs CAP_SYS_RESOURCE");
        }
    }

    private static void Check(int rc, string operation)
    {
        if (rc != 0)
        {
            throw new SystemCallException(operation, null, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Reports straight to fd 2 and exits without running .NET shutdown in a half-configured process.</summary>
    public static void Die(string message, int code)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(message + "\n");
        fixed (byte* p = bytes)
        {
            Libc.write(2, p, (nuint)bytes.Length);
        }

        Libc._exit(code);
    }
}

using System.Runtime.InteropServices;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Process;

/// <summary>Waiting for and signalling children we started ourselves (posix_spawn, or adopted as subreaper).</summary>
public static unsafe class ChildProcesses
{
    /// <summary>Blocks until <paramref name="pid"/> exits and reaps it.</summary>
    public static ChildExit Wait(int pid)
    {
        int status;
        while (true)
        {
            int rc = Libc.waitpid(pid, &status, 0);
            if (rc == pid)
            {
                return ChildExit.FromWaitStatus(status);
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errnos.EINTR)
            {
                throw new SystemCallException("waitpid", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), errno);
            }
        }
    }

    /// <summary>Reaps <paramref name="pid"/> if it has ended; false when it still runs or is not our child.</summary>
    public static bool TryReap(int pid)
    {
        int status;
        return Libc.waitpid(pid, &status, Libc.WNOHANG) == pid;
    }

    /// <summary>Waits on a dedicated thread so callers can await without blocking the thread pool.</summary>
    public static Task<ChildExit> WaitAsync(int pid) => Threading.BackgroundThread.Run("wait child", () => Wait(pid));

    /// <summary>Sends a signal; returns false when the process is already gone.</summary>
    public static bool TrySignal(int pid, int signal)
    {
        if (Libc.kill(pid, signal) == 0)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        if (errno == Errnos.ESRCH)
        {
            return false;
        }

        throw new SystemCallException("kill", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), errno);
    }
}

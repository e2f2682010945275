using System.Globalization;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Process;

namespace Skiff.Rootless.Network;

/// <summary>
/// Waiting for a stopped network helper. A helper's program is gone (its memory released, its command line
/// empty) early in its exit; the rest of that exit, closing a tap device among its files, waits for the kernel
/// to unregister the device (synchronize_net and rcu_barrier: 20-60 ms measured here, more on a busy machine)
/// and holds nothing anyone needs, so callers that only need the helper gone do not wait for it.
/// </summary>
internal static class HelperExits
{
    /// <summary>
    /// Waits until <paramref name="pid"/> no longer runs a program whose command line contains
    /// <paramref name="marker"/> (any program, for an empty marker); kills it if it still does after
    /// <paramref name="timeout"/>. There is no notification for that point, hence the short polls.
    /// </summary>
    public static void WaitUntilProgramGone(int pid, string marker, TimeSpan timeout)
    {
        using SafeFileHandle? pidFd = Descriptors.TryOpenPidFd(pid);
        if (pidFd is null)
        {
            return;
        }

        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Runs(pid, marker) && !PollSet.WaitReadable(pidFd, 1))
        {
            if (Environment.TickCount64 > deadline)
            {
                ChildProcesses.TrySignal(pid, 9);
                return;
            }
        }
    }

    /// <summary>Waits for a helper that is our child (or adopted as subreaper); anything else is not ours to wait for.</summary>
    public static void Reap(int pid, TimeSpan timeout)
    {
        using SafeFileHandle? pidFd = Descriptors.TryOpenPidFd(pid);
        if (pidFd is null)
        {
            return;
        }

        if (!PollSet.WaitReadable(pidFd, (int)timeout.TotalMilliseconds))
        {
            ChildProcesses.TrySignal(pid, 9);
        }

        try
        {
            ChildProcesses.Wait(pid);
        }
        catch (SystemCallException)
        {
        }
    }

    /// <summary>
    /// Reaps our child <paramref name="pid"/> on a background thread of its own, once the rest of its exit is done
    /// (one thread start; the monitor's first Task.Run would start the thread pool too).
    /// </summary>
    public static void ReapInBackground(int pid) =>
        new Thread(() => Reap(pid, TimeSpan.FromSeconds(30))) { IsBackground = true, Name = "reap helper" }.Start();

    /// <summary>The NUL-separated command line of <paramref name="pid"/>; empty once its program is gone (or it is).</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static bool Runs(int pid, string marker) => CommandLine(pid) is { Length: > 0 } line && line.Contains(marker, StringComparison.Ordinal);
}

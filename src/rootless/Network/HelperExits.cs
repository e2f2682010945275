using System.Globalization;
using System.Text;
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

        byte[] wanted = Encoding.UTF8.GetBytes(marker);
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Runs(pid, wanted) && !PollSet.WaitReadable(pidFd, 1))
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
        Span<byte> start = stackalloc byte[CommandLineBytes];
        int length = ReadCommandLine(pid, start);
        if (length < start.Length)
        {
            return length <= 0 ? string.Empty : Encoding.UTF8.GetString(start[..length]);
        }

        try
        {
            return new SmallFileReader().TryRead(CommandLinePath(pid), out ReadOnlySpan<byte> line) ? Encoding.UTF8.GetString(line) : string.Empty;
        }
        catch (SystemCallException)
        {
            return string.Empty;
        }
    }

    /// <summary>Polled every millisecond while a stopped helper exits: the command line is read into a stack buffer, not a new string.</summary>
    private static bool Runs(int pid, byte[] marker)
    {
        Span<byte> line = stackalloc byte[CommandLineBytes];
        int length = ReadCommandLine(pid, line);
        if (length == line.Length)
        {
            return CommandLine(pid) is { Length: > 0 } whole && whole.Contains(Encoding.UTF8.GetString(marker), StringComparison.Ordinal);
        }

        return length > 0 && line[..length].IndexOf(marker) >= 0;
    }

    /// <summary>The start of /proc/PID/cmdline into <paramref name="destination"/>: the byte count, or -1 when the process is gone or not ours to read.</summary>
    private static int ReadCommandLine(int pid, Span<byte> destination)
    {
        try
        {
            return SmallFileReader.TryReadStart(CommandLinePath(pid), destination);
        }
        catch (SystemCallException)
        {
            return -1;
        }
    }

    private static string CommandLinePath(int pid) => $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline";

    /// <summary>Most command lines fit (pasta's with its options and paths is a few hundred bytes); a longer one is read whole.</summary>
    private const int CommandLineBytes = 4096;
}

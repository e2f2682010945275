using System.Text;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Monitor;
using Skiff.Runtime.Process;

namespace Skiff.Rootless.Network;

/// <summary>
/// Starts one of skiff's own long-lived helper verbs (<c>__dns</c>, <c>__port-forward</c>) and stops it: the
/// helper gets /dev/null as stdio and a pipe as <see cref="ReadyFd"/>, on which it writes "ok" once it serves,
/// or the reason it cannot.
/// </summary>
public static class ReadyHelperProcess
{
    public const int ReadyFd = 3;

    private const int ReadyTimeoutMilliseconds = 20_000;

    /// <summary>
    /// Starts <paramref name="program"/> and returns its pid once it has answered "ok". Otherwise stops it and
    /// throws an unavailable error: <paramref name="what"/>, the helper's reason (or that it ended), and <paramref name="hint"/>.
    /// </summary>
    public static int Start(string program, IReadOnlyList<string> arguments, bool newSession, string what, string hint)
    {
        (SafeFileHandle readyRead, SafeFileHandle readyWrite) = Descriptors.Pipe();
        using (readyRead)
        {
            int pid;
            using (readyWrite)
            using (SafeFileHandle nullIn = Descriptors.OpenNull(write: false))
            using (SafeFileHandle nullOut = Descriptors.OpenNull(write: true))
            {
                pid = Spawner.Spawn(new SpawnRequest(program, arguments, RuntimeInvoker.CurrentEnvironment())
                {
                    Descriptors = [(nullIn, 0), (nullOut, 1), (nullOut, 2), (readyWrite, ReadyFd)],
                    NewSession = newSession,
                });
            }

            byte[] answer = new byte[1024];
            int n = PollSet.WaitReadable(readyRead, ReadyTimeoutMilliseconds) ? Descriptors.Read(readyRead, answer) : -1;
            string text = n > 0 ? Encoding.UTF8.GetString(answer, 0, n) : string.Empty;
            if (text != "ok")
            {
                Stop(pid);
                throw SkiffException.Unavailable($"{what}: {(text.Length > 0 ? text : "it ended")}", hint);
            }

            return pid;
        }
    }

    /// <summary>
    /// Kills the helper and waits until it has ended; reaps it when it is our child (the monitor that started it
    /// may be another one). Never throws; 0 (none) is fine.
    /// </summary>
    public static void Stop(int pid)
    {
        if (pid == 0)
        {
            return;
        }

        using SafeFileHandle? pidFd = Descriptors.TryOpenPidFd(pid);
        ChildProcesses.TrySignal(pid, 9);
        if (pidFd is not null)
        {
            PollSet.WaitReadable(pidFd, 5000);
        }

        try
        {
            ChildProcesses.Wait(pid);
        }
        catch (SystemCallException)
        {
        }
    }

    /// <summary>This skiff's own executable, which the helper verbs are.</summary>
    public static string Self => Environment.ProcessPath ?? throw SkiffException.Internal("cannot find skiff's own executable");
}

using System.Text;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Monitor;
using Skiff.Runtime.Process;

namespace Skiff.Rootless.Network.Dns;

/// <summary>Starts and stops a network's <c>skiff __dns</c> (<see cref="DnsServer"/>).</summary>
public static class DnsServerProcess
{
    private const int ReadyTimeoutMilliseconds = 20_000;

    /// <summary>
    /// Starts the responder in a session of its own and returns its pid once it listens. With
    /// <paramref name="netnsPath"/> (rootless: the rootless network namespace) it is started through nsenter
    /// into that namespace, which execs it without a fork, so the pid is the responder's.
    /// </summary>
    public static int Start(IReadOnlyList<string> arguments, string? netnsPath, string nsenter)
    {
        string self = Environment.ProcessPath ?? throw SkiffException.Internal("cannot find skiff's own executable");
        (string program, IReadOnlyList<string> argv) = netnsPath is null
            ? (self, arguments)
            : (nsenter, ["--net=" + netnsPath, "--", self, .. arguments]);
        (SafeFileHandle readyRead, SafeFileHandle readyWrite) = Descriptors.Pipe();
        using (readyRead)
        {
            int pid;
            using (readyWrite)
            using (SafeFileHandle nullIn = Descriptors.OpenNull(write: false))
            using (SafeFileHandle nullOut = Descriptors.OpenNull(write: true))
            {
                pid = Spawner.Spawn(new SpawnRequest(program, argv, RuntimeInvoker.CurrentEnvironment())
                {
                    Descriptors = [(nullIn, 0), (nullOut, 1), (nullOut, 2), (readyWrite, DnsServer.ReadyFd)],
                    NewSession = true,
                });
            }

            byte[] answer = new byte[1024];
            int n = PollSet.WaitReadable(readyRead, ReadyTimeoutMilliseconds) ? Descriptors.Read(readyRead, answer) : -1;
            string text = n > 0 ? Encoding.UTF8.GetString(answer, 0, n) : string.Empty;
            if (text != "ok")
            {
                Stop(pid);
                throw SkiffException.Unavailable(
                    $"cannot start the network's DNS server: {(text.Length > 0 ? text : "it ended")}",
                    "another program may listen on port 53 of the network's gateway address; or create the network with --disable-dns");
            }

            return pid;
        }
    }

    /// <summary>
    /// Stops the responder and waits until it has ended; reaps it when it is our child (the monitor that
    /// started it may be another one). Never throws; 0 (none) is fine.
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
}

using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Process;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// An initialized container (<c>skiff init</c>): the runtime has created it, its process is not started. The monitor
/// waits here for a client on the attach socket to ask for the start (<see cref="AttachFrame.Start"/>), or for the
/// container's init to end (stop, rm -f, or a kill from outside). Connections that ask nothing are kept as attach
/// clients for when it runs.
/// </summary>
internal sealed class InitializedWait(SafeFileHandle listener, List<SafeFileHandle> clients)
{
    /// <summary>Blocks until a start request or the end of <paramref name="pid"/>.</summary>
    /// <returns>The connection that asked for the start (also in the clients), or null with <paramref name="ended"/> set.</returns>
    public SafeFileHandle? Run(int pid, SafeFileHandle? pidFd, out ChildExit ended)
    {
        byte[] packet = new byte[64];
        var set = new PollSet();
        while (true)
        {
            set.Clear();
            int listening = set.Add(listener);
            int exited = pidFd is null ? -1 : set.Add(pidFd);
            int first = exited < 0 ? listening + 1 : exited + 1;
            foreach (SafeFileHandle client in clients)
            {
                set.Add(client);
            }

            // Without a pidfd (kernels before 5.3) the init's end is noticed only when a start request comes.
            set.Wait(-1);
            if (exited >= 0 && set.Ready(exited))
            {
                ended = ChildProcesses.Wait(pid);
                return null;
            }

            for (int i = clients.Count - 1; i >= 0; i--)
            {
                if (!set.Ready(first + i))
                {
                    continue;
                }

                int n = UnixSockets.Receive(clients[i], packet);
                if (n > 0 && packet[0] == AttachFrame.Start)
                {
                    ended = default;
                    return clients[i];
                }

                if (n <= 0)
                {
                    clients[i].Dispose();
                    clients.RemoveAt(i);
                }
            }

            if (set.Ready(listening) && UnixSockets.TryAccept(listener) is SafeFileHandle connection)
            {
                clients.Add(connection);
            }
        }
    }
}

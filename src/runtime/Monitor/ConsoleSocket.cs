using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Fds;

namespace Skiff.Runtime.Monitor;

/// <summary>The OCI console socket: the runtime connects to it and sends the pty master of a container with a terminal.</summary>
internal static class ConsoleSocket
{
    /// <summary>Accepts the runtime's connection and takes the pty master it sends (/dev/null when the runtime <paramref name="createPid"/> ended without one).</summary>
    public static SafeFileHandle ReceiveTerminal(SafeFileHandle listener, int createPid)
    {
        using SafeFileHandle? createPidFd = createPid > 0 ? Descriptors.TryOpenPidFd(createPid) : null;
        var set = new PollSet();
        while (true)
        {
            set.Clear();
            int listening = set.Add(listener);
            int exited = createPidFd is null ? -1 : set.Add(createPidFd);
            set.Wait(-1);
            if (set.Ready(listening))
            {
                using SafeFileHandle? connection = UnixSockets.TryAccept(listener);
                if (connection is not null)
                {
                    return UnixSockets.ReceiveDescriptor(connection);
                }
            }

            if (exited < 0 || set.Ready(exited))
            {
                // The runtime ended without sending a terminal: its exit status tells why.
                return Descriptors.OpenNull(write: false);
            }
        }
    }
}

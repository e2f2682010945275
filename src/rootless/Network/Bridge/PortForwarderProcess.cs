using System.Text;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Monitor;
using Skiff.Runtime.Process;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>Starts and stops a <c>skiff __port-forward</c> (<see cref="PortForwarder"/>) for a container's monitor.</summary>
public static class PortForwarderProcess
{
    private const int ReadyTimeoutMilliseconds = 20_000;

    /// <summary>
    /// Starts the forwarder for the network namespace at <paramref name="netnsPath"/> (a /proc entry or a
    /// bound namespace file), connecting to <paramref name="target"/> there; returns its pid once it listens
    /// on every host port.
    /// </summary>
    public static int Start(string netnsPath, string target, IEnumerable<PublishedPort> ports)
    {
        string self = Environment.ProcessPath ?? throw SkiffException.Internal("cannot find skiff's own executable");
        IReadOnlyList<string> arguments = PortForwarder.BuildArguments(netnsPath, target, ports);
        (SafeFileHandle readyRead, SafeFileHandle readyWrite) = Descriptors.Pipe();
        using (readyRead)
        {
            int forwarder;
            using (readyWrite)
            using (SafeFileHandle nullIn = Descriptors.OpenNull(write: false))
            using (SafeFileHandle nullOut = Descriptors.OpenNull(write: true))
            {
                forwarder = Spawner.Spawn(new SpawnRequest(self, arguments, RuntimeInvoker.CurrentEnvironment())
                {
                    Descriptors = [(nullIn, 0), (nullOut, 1), (nullOut, 2), (readyWrite, PortForwarder.ReadyFd)],
                });
            }

            byte[] answer = new byte[1024];
            int n = PollSet.WaitReadable(readyRead, ReadyTimeoutMilliseconds) ? Descriptors.Read(readyRead, answer) : -1;
            string text = n > 0 ? Encoding.UTF8.GetString(answer, 0, n) : string.Empty;
            if (text != "ok")
            {
                Stop(forwarder);
                throw SkiffException.Unavailable(
                    $"cannot publish the container's ports: {(text.Length > 0 ? text : "the port forwarder ended")}",
                    "a published host port may be in use by another program; choose another with -p");
            }

            return forwarder;
        }
    }

    /// <summary>Kills and reaps the forwarder; 0 (none started) is fine.</summary>
    public static void Stop(int forwarder)
    {
        if (forwarder == 0)
        {
            return;
        }

        ChildProcesses.TrySignal(forwarder, 9);
        try
        {
            ChildProcesses.Wait(forwarder);
        }
        catch (SystemCallException)
        {
        }
    }
}

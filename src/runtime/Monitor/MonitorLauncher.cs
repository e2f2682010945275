using System.Globalization;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Process;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// Starts a container's monitor (skiff itself, detached in a new session) and waits for its report:
/// the container runs, or why it could not start. The caller holds the container lock meanwhile.
/// </summary>
public sealed class MonitorLauncher(string skiffExecutable, string root, string runRoot, ContainerStore store)
{
    public const int SyncFd = 3;
    public const int AttachFd = 4;

    /// <summary>How long a start may take before the CLI gives up waiting (image mounts and runtime create included).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <param name="attachClient">The monitor's end of an attach connection made before start, or null.</param>
    public int Start(string id, SafeFileHandle? attachClient)
    {
        (SafeFileHandle ours, SafeFileHandle theirs) = UnixSockets.SeqPacketPair();
        using (ours)
        {
            int pid;
            using (theirs)
            using (SafeFileHandle nullIn = Descriptors.OpenNull(write: false))
            using (SafeFileHandle monitorLog = Descriptors.Open(Path.Combine(store.Directory(id), "monitor.log"), 0x40 | 0x400 | 1 /* O_CREAT|O_APPEND|O_WRONLY */, 0x1a4))
            {
                var descriptors = new List<(System.Runtime.InteropServices.SafeHandle, int)>
                {
                    (nullIn, 0), (monitorLog, 1), (monitorLog, 2), (theirs, SyncFd),
                };
                var arguments = new List<string> { MonitorEntry.Verb, root, runRoot, id };
                if (attachClient is not null)
                {
                    descriptors.Add((attachClient, AttachFd));
                    arguments.Add("--attached");
                }

                Dictionary<string, string> environment = RuntimeInvoker.CurrentEnvironment();
                pid = Spawner.Spawn(new SpawnRequest(skiffExecutable, arguments, environment)
                {
                    Descriptors = descriptors,
                    NewSession = true,
                });
            }

            byte[] packet = new byte[4096];
            if (!PollSet.WaitReadable(ours, (int)StartTimeout.TotalMilliseconds))
            {
                ChildProcesses.TrySignal(pid, 9);
                throw SkiffException.Unavailable($"the container monitor did not report within {StartTimeout.TotalSeconds:0} s");
            }

            int n = UnixSockets.Receive(ours, packet);
            if (n == 0)
            {
                string detail = TailOfMonitorLog(id);
                throw SkiffException.Internal($"the container monitor (pid {pid.ToString(CultureInfo.InvariantCulture)}) died before starting the container{detail}");
            }

            SkiffException? failure = MonitorReport.Parse(packet.AsSpan(0, n));
            if (failure is not null)
            {
                throw failure;
            }

            return pid;
        }
    }

    private string TailOfMonitorLog(string id)
    {
        try
        {
            string text = File.ReadAllText(Path.Combine(store.Directory(id), "monitor.log")).Trim();
            return text.Length == 0 ? string.Empty : ": " + (text.Length > 2000 ? text[^2000..] : text);
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}

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

    /// <summary>
    /// Starts the monitor process and returns its pid: by default in this process's namespaces; a rootless command
    /// running outside skiff's user namespace starts it inside (<c>UserNamespaceSpawner</c>), where it must mount.
    /// </summary>
    public Func<SpawnRequest, int> StartProcess { get; init; } = Spawner.Spawn;

    /// <summary>
    /// Starts a monitor for a container still to be created: a process start is ~5 ms of the start path
    /// (more on a busy machine), and a prepared monitor does it, and warms up what it needs, while the CLI
    /// works. <see cref="Start"/> then hands it the container's id.
    /// </summary>
    /// <param name="attachClient">The monitor's end of an attach connection made before start, or null.</param>
    /// <param name="networkHint">The network the container will most likely use (<see cref="IContainerNetwork.PrepareEarly"/>), or null.</param>
    public PreparedMonitor Prepare(SafeFileHandle? attachClient, string? networkHint = null)
    {
        (SafeFileHandle ours, SafeFileHandle theirs) = UnixSockets.SeqPacketPair();
        try
        {
            using (theirs)
            using (SafeFileHandle nullIn = Descriptors.OpenNull(write: false))
            using (SafeFileHandle nullOut = Descriptors.OpenNull(write: true))
            {
                // Its output goes to the container's monitor.log once it knows the container.
                int pid = Spawn(MonitorEntry.PendingId, attachClient, nullIn, nullOut, theirs, networkHint);
                return new PreparedMonitor(pid, ours);
            }
        }
        catch
        {
            ours.Dispose();
            throw;
        }
    }

    /// <param name="attachClient">The monitor's end of an attach connection made before start, or null.</param>
    /// <param name="prepared">A monitor from <see cref="Prepare"/> (made with the same attach client), or null to start one now.</param>
    /// <param name="initOnly">Stop after the runtime's create (<c>skiff init</c>): the monitor reports the container initialized and waits.</param>
    /// <param name="callerStdio">Hand this process's stdin, stdout and stderr to the container (--log-driver passthrough,
    /// <see cref="CallerStdio"/>); a prepared monitor, made without them, is not used then.</param>
    /// <param name="preserveFds">Hand this process's descriptors 3 to 2+N to the container's process (<see cref="PreservedFds"/>); a
    /// prepared monitor is not used then either.</param>
    public int Start(string id, SafeFileHandle? attachClient, PreparedMonitor? prepared = null, bool initOnly = false, bool callerStdio = false, int preserveFds = 0)
    {
        // A prepared monitor that died meanwhile (killed, or out of memory) cannot take the id: start another.
        if (prepared is not null && !callerStdio && preserveFds == 0 && UnixSockets.Send(prepared.Sync, System.Text.Encoding.ASCII.GetBytes(id)))
        {
            return AwaitReport(id, prepared.Pid, prepared.Sync);
        }

        (SafeFileHandle ours, SafeFileHandle theirs) = UnixSockets.SeqPacketPair();
        using (ours)
        {
            int pid;
            using (theirs)
            using (SafeFileHandle nullIn = Descriptors.OpenNull(write: false))
            using (SafeFileHandle monitorLog = Descriptors.Open(Path.Combine(store.Directory(id), MonitorEntry.LogFile), MonitorEntry.LogFlags, 0x1a4))
            {
                pid = Spawn(id, attachClient, nullIn, monitorLog, theirs, initOnly: initOnly, callerStdio: callerStdio, preserveFds: preserveFds);
            }

            return AwaitReport(id, pid, ours);
        }
    }

    private int Spawn(string id, SafeFileHandle? attachClient, SafeFileHandle stdin, SafeFileHandle output, SafeFileHandle sync, string? networkHint = null, bool initOnly = false, bool callerStdio = false, int preserveFds = 0)
    {
        var descriptors = new List<(System.Runtime.InteropServices.SafeHandle, int)>
        {
            (stdin, 0), (output, 1), (output, 2), (sync, SyncFd),
        };
        var arguments = new List<string> { MonitorEntry.Verb, root, runRoot, id };
        if (attachClient is not null)
        {
            descriptors.Add((attachClient, AttachFd));
            arguments.Add("--attached");
        }

        if (initOnly)
        {
            arguments.Add(MonitorEntry.InitOnlyOption);
        }

        if (callerStdio)
        {
            for (int fd = 0; fd < 3; fd++)
            {
                descriptors.Add((new SafeFileHandle(fd, ownsHandle: false), CallerStdio.FirstFd + fd));
            }

            arguments.Add(CallerStdio.Option);
        }

        if (preserveFds > 0)
        {
            for (int fd = 3; fd < 3 + preserveFds; fd++)
            {
                descriptors.Add((new SafeFileHandle(fd, ownsHandle: false), PreservedFds.FirstFd + fd - 3));
            }

            arguments.AddRange([PreservedFds.Option, preserveFds.ToString(CultureInfo.InvariantCulture)]);
        }

        if (networkHint is not null)
        {
            arguments.Add(MonitorEntry.NetworkHintOption);
            arguments.Add(networkHint);
        }

        Dictionary<string, string> environment = RuntimeInvoker.CurrentEnvironment();
        return StartProcess(new SpawnRequest(skiffExecutable, arguments, environment)
        {
            Descriptors = descriptors,
            NewSession = true,
        });
    }

    /// <summary>Waits for the monitor's one report: the container runs, or why it could not start.</summary>
    private int AwaitReport(string id, int pid, SafeFileHandle ours)
    {
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

    private string TailOfMonitorLog(string id)
    {
        try
        {
            string text = MonitorLogTail.Summary(File.ReadAllLines(Path.Combine(store.Directory(id), MonitorEntry.LogFile)));
            return text.Length == 0 ? string.Empty : ": " + text;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}

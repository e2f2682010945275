using System.Globalization;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Rootless.Network.Netlink;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Monitor;
using Skiff.Runtime.Process;

namespace Skiff.Rootless.Network;

/// <summary>
/// pasta's foreground part, spawned: it configures the namespace, binds the published ports, forks its daemon
/// and exits. Spawning and waiting are apart, so the caller works meanwhile without a thread of its own (the
/// early pasta of a prepared monitor started a thread-pool task for the wait, ~1 ms before pasta could start).
/// Its stderr goes to a pipe read only after it exited: it writes a line or two, far below a pipe's capacity.
/// The namespace is configured well before the foreground exits (pasta then still fills its tables, binds the
/// ports, sandboxes itself and forks): <see cref="WaitConfigured"/> returns at that point.
/// Given a tap skiff configured, nothing waits for its start-up (~90 ms of CPU here, mostly page faults) until
/// the container's process runs: where its priority can be given back (as root: <see cref="ProcessPriority"/>), it
/// then yields the CPU to the container's start (the CLI, the monitor and the init) until <see cref="RestorePriority"/>:
/// nice 19, in a session of its own whose autogroup (<see cref="SessionAutogroup"/>) has nice 19 too, as a
/// process's nice value only counts against the processes of its own session where the kernel groups them by
/// session. Its daemon makes a session of its own (setsid) anyway. An unprivileged user may lower a nice value but
/// not raise it again, and may change an autogroup's only once per 100 ms on the whole machine: rootless, where the
/// kernel groups processes by session (<see cref="SessionAutogroup.GroupsThisProcess"/>), it runs at nice 19 in the
/// monitor's own session instead, for good. That weighs only against the monitor and the container's init, the
/// processes of that session: it yields to them while they start the container, and has the session's whole share
/// of the CPU once they wait (the container's process leads a session of its own). Its daemon, in a session of its
/// own, weighs as any session, whatever its nice value. Where neither can be done, it is stopped (SIGSTOP) right
/// after its exec instead and continued (SIGCONT, <see cref="Continue"/>) once the CLI has handed its container
/// over, or at the latest at the same point.
/// </summary>
public sealed class PastaForeground : IDisposable
{
    private readonly int pid;
    private readonly SafeFileHandle errors;
    private readonly IReadOnlyList<PortMapping> ports;
    private readonly SafeFileHandle? exit;
    private SkiffException? failure;
    private bool waited;

    /// <summary>It runs at <see cref="YieldingNice"/> (set in <see cref="Start"/>, not yet restored).</summary>
    private bool yielding;

    /// <summary>It is stopped (SIGSTOP, set in <see cref="Start"/>, not yet continued).</summary>
    private bool paused;

    /// <summary>The nice value of a foreground part that yields: CPU weight 15 against 1,024 at nice 0.</summary>
    private const int YieldingNice = 19;

    /// <summary>Whether it ran at <see cref="YieldingNice"/>: a daemon it forked then may need its priority back too.</summary>
    public bool Yielded { get; private set; }

    private PastaForeground(int pid, SafeFileHandle errors, IReadOnlyList<PortMapping> ports)
    {
        this.pid = pid;
        this.errors = errors;
        this.ports = ports;
        exit = Descriptors.TryOpenPidFd(pid);
    }

    private const int StopSignal = 19;

    private const int ContinueSignal = 18;

    /// <summary>The descriptor number pasta finds a tap given to <see cref="Start"/> under.</summary>
    public const int TapDescriptor = 3;

    /// <summary>A pidfd of the foreground part, readable once it exited (null if it was gone before one was opened).</summary>
    public SafeFileHandle? Exit => exit;

    /// <summary>Spawns <paramref name="program"/> (what <see cref="PastaLaunch.For"/> chose) with <paramref name="arguments"/>.</summary>
    /// <param name="ports">The ports the arguments publish, for the hint when pasta fails.</param>
    /// <param name="tap">A tap device for pasta (its --fd <see cref="TapDescriptor"/>), or null; given one, pasta may yield the CPU until <see cref="RestorePriority"/>.</param>
    public static PastaForeground Start(PastaLaunch program, IReadOnlyList<string> arguments, IReadOnlyList<PortMapping> ports, SafeFileHandle? tap = null)
    {
        bool yielding = tap is not null && ProcessPriority.CanRestore();
        bool inSession = tap is not null && !yielding && SessionAutogroup.GroupsThisProcess();
        bool pausing = tap is not null && !yielding && !inSession;
        (SafeFileHandle errorRead, SafeFileHandle errorWrite) = Descriptors.Pipe();
        try
        {
            using (errorWrite)
            using (SafeFileHandle nullIn = Descriptors.OpenNull(write: false))
            using (SafeFileHandle nullOut = Descriptors.OpenNull(write: true))
            {
                int pid = Spawner.Spawn(new SpawnRequest(program.Executable, arguments, program.EnvironmentFrom(RuntimeInvoker.CurrentEnvironment()))
                {
                    ArgumentZero = program.Name,
                    Descriptors = tap is null ? [(nullIn, 0), (nullOut, 1), (errorWrite, 2)] : [(nullIn, 0), (nullOut, 1), (errorWrite, 2), (tap, TapDescriptor)],
                    NewSession = yielding,
                    // A monitor killed while pasta is stopped leaves it in an orphaned group: the kernel continues it.
                    NewProcessGroup = pausing,
                });
                if (yielding)
                {
                    bool session = SessionAutogroup.TrySetNice(pid, YieldingNice);
                    yielding = ProcessPriority.TrySet(pid, YieldingNice) | session;
                }
                else if (inSession)
                {
                    // Nothing gives this back, nor needs to (see above).
                    ProcessPriority.TrySet(pid, YieldingNice);
                }

                // Spawned: pasta has exec'd, so only its loader and first instructions ran before it stops.
                bool paused = pausing && ChildProcesses.TrySignal(pid, StopSignal);
                return new PastaForeground(pid, errorRead, ports) { yielding = yielding, Yielded = yielding, paused = paused };
            }
        }
        catch
        {
            errorRead.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits until the foreground part exited; throws pasta's error as a SkiffException when it failed (again
    /// on every later call: the child is waited for once).
    /// </summary>
    public void Wait()
    {
        if (!waited)
        {
            // A yielding pasta would get little CPU on a busy machine: its start-up is what is waited for now.
            RestorePriority();
            waited = true;
            ChildExit exit = ChildProcesses.Wait(pid);
            if (exit.ShellCode != 0)
            {
                string detail = NetworkHelperErrors.Clean(PipeText.ReadAvailable(errors));
                failure = new SkiffException(
                    ErrorKind.Unavailable,
                    $"pasta could not set up the container's network (exit code {exit.ShellCode.ToString(CultureInfo.InvariantCulture)}){(detail.Length > 0 ? ": " + detail : string.Empty)}",
                    NetworkHelperErrors.HintFor(detail, "pasta") ?? PortHint(ports));
            }
        }

        if (failure is not null)
        {
            throw failure;
        }
    }

    /// <summary>
    /// Waits until the namespace at <paramref name="netnsPath"/> shows everything <paramref name="plan"/> predicts
    /// (true), or until the foreground part exited first or the namespace cannot be watched (false: <see cref="Wait"/>
    /// then says how pasta ended). A packet the container sends before pasta's loop runs waits in the tap's queue.
    /// </summary>
    public bool WaitConfigured(string netnsPath, PastaNamespacePlan plan)
    {
        if (waited || exit is null)
        {
            return false;
        }

        NamespaceChanges changes;
        RouteNetlink dumps;
        try
        {
            // Subscribed before the first dump: a change after it is always announced.
            (changes, dumps) = NamespaceChanges.OpenIn(netnsPath);
        }
        catch (SystemCallException)
        {
            return false;
        }

        using (changes)
        using (dumps)
        {
            var set = new PollSet();
            try
            {
                while (true)
                {
                    changes.Drain();
                    if (plan.IsMetBy(
                            dumps.Links(),
                            [.. dumps.Addresses(RouteRequests.AF_INET), .. dumps.Addresses(RouteRequests.AF_INET6)],
                            [.. dumps.Routes(RouteRequests.AF_INET), .. dumps.Routes(RouteRequests.AF_INET6)]))
                    {
                        return true;
                    }

                    set.Clear();
                    set.Add(changes.Handle);
                    int exited = set.Add(exit);
                    set.Wait(-1);
                    if (set.Ready(exited))
                    {
                        return false;
                    }
                }
            }
            catch (SystemCallException)
            {
                return false;
            }
        }
    }

    /// <summary>Continues a foreground part stopped in <see cref="Start"/> (SIGCONT); never throws.</summary>
    public void Continue()
    {
        if (paused && !waited)
        {
            paused = false;
            ChildProcesses.TrySignal(pid, ContinueSignal);
        }
    }

    /// <summary>
    /// Gives a yielding foreground part (see <see cref="Start"/>) its normal priority back, or continues a stopped
    /// one: once the container's process runs, pasta's start-up is what is left to wait for. Never throws.
    /// </summary>
    public void RestorePriority()
    {
        Continue();

        if (yielding && !waited)
        {
            yielding = false;
            ProcessPriority.TrySet(pid, 0);
            SessionAutogroup.TrySetNice(pid, 0);
        }
    }

    /// <summary>
    /// Ends the foreground part if it still runs (SIGKILL) and, unless <paramref name="waitUntilGone"/> is false,
    /// waits until its program is gone (a yielding one gets its priority back for its exit), so the ports it bound
    /// are free again; the rest of its exit (closing the tap: see <see cref="HelperExits"/>) is waited for and reaped in
    /// the background. A daemon it forked already is left to its pid file and its namespace file. Never throws.
    /// </summary>
    public void Kill(bool waitUntilGone = true)
    {
        if (waited)
        {
            return;
        }

        // A stopped one is not continued: SIGKILL ends a stopped process too, before it touched its buffers.
        paused = false;
        RestorePriority();

        // Not reaped yet (only this object waits for it), so the pid is still this child's, if only as a zombie.
        ChildProcesses.TrySignal(pid, 9);
        if (waitUntilGone)
        {
            HelperExits.WaitUntilProgramGone(pid, string.Empty, TimeSpan.FromSeconds(5));
        }

        waited = true;
        HelperExits.ReapInBackground(pid);
    }

    public void Dispose()
    {
        errors.Dispose();
        exit?.Dispose();
    }

    private static string? PortHint(IReadOnlyList<PortMapping> ports) =>
        ports.Count > 0 ? "a published host port may be in use by another program; choose another with -p" : null;
}

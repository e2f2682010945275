using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Logs;
using Skiff.Runtime.Process;
using Skiff.Runtime.Terminal;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// The monitor's idle phase: one thread in poll(2) over the container's output (pipes or pty master),
/// the attach socket and its clients, and the container's pidfd. Output goes to the log and every
/// attached client; client input goes to the container's stdin or terminal. Used by the monitor itself
/// and by skiff-relay, the small program it hands the container over to (<see cref="RelayHandover"/>).
/// </summary>
public sealed class MonitorRelay(
    SafeFileHandle? attachListener,
    SafeFileHandle? stdout,
    SafeFileHandle? stderr,
    SafeFileHandle? terminal,
    SafeFileHandle? stdinWriter,
    ContainerLogWriter? log,
    List<SafeFileHandle> clients)
{
    private readonly byte[] buffer = new byte[AttachFrame.MaxPayload + 1];
    private SafeFileHandle? attachListener = attachListener;
    private SafeFileHandle? stdout = stdout;
    private SafeFileHandle? stderr = stderr;
    private SafeFileHandle? terminal = terminal;
    private SafeFileHandle? stdinWriter = stdinWriter;
    private ContainerLogWriter? log = log;

    public SafeFileHandle? AttachListener => attachListener;

    public SafeFileHandle? Stdout => stdout;

    public SafeFileHandle? Stderr => stderr;

    public SafeFileHandle? Terminal => terminal;

    public SafeFileHandle? StdinWriter => stdinWriter;

    public IReadOnlyList<SafeFileHandle> Clients => clients;

    /// <summary>The container's scheduled healthchecks, run from this loop; null when it has none to schedule.</summary>
    public HealthCheckSchedule? HealthChecks { get; set; }

    /// <summary>
    /// When the container's --timeout runs out, as <see cref="Environment.TickCount64"/> (system-wide, so it holds across
    /// the handover to skiff-relay); 0 for none. Then the container is killed (SIGKILL, as conmon) and its exit is
    /// <see cref="TimedOutExitCode"/>.
    /// </summary>
    public long Deadline { get; set; }

    /// <summary>Whether the container was killed at its <see cref="Deadline"/>.</summary>
    public bool TimedOut { get; private set; }

    /// <summary>podman's exit code of a container conmon killed at its --timeout (conmon never reads its status then).</summary>
    public const int TimedOutExitCode = -1;

    /// <summary>
    /// Relays until the container ends and returns how it ended. <paramref name="onIdle"/> runs once,
    /// <paramref name="idleAfter"/> after the relay started, if the container still runs then; with
    /// <paramref name="afterEachBusySpell"/> instead right after the first wait and then each time nothing
    /// happened for <paramref name="idleAfter"/> after something did. It runs after a wait, so the loop's
    /// own code (poll and its first binding) has run before.
    /// </summary>
    public ChildExit Run(int pid, SafeFileHandle? pidFd, TimeSpan idleAfter, Action? onIdle, bool afterEachBusySpell = false)
    {
        var set = new PollSet();
        bool exited = pidFd is null;
        long idleAt = onIdle is null ? 0 : afterEachBusySpell ? Environment.TickCount64 : Environment.TickCount64 + (long)idleAfter.TotalMilliseconds;
        while (!exited)
        {
            set.Clear();
            int exitIndex = set.Add(pidFd!);
            int listenIndex = attachListener is null ? -1 : set.Add(attachListener);
            int outIndex = stdout is null ? -1 : set.Add(stdout);
            int errIndex = stderr is null ? -1 : set.Add(stderr);
            int terminalIndex = terminal is null ? -1 : set.Add(terminal);
            int firstClient = clients.Count == 0 ? -1 : set.Add(clients[0]);
            for (int i = 1; i < clients.Count; i++)
            {
                set.Add(clients[i]);
            }

            int healthIndex = HealthChecks?.ChildPidFd is { } check ? set.Add(check) : -1;
            int clientCount = clients.Count;
            int timeout = idleAt > 0 ? (int)Math.Max(0, idleAt - Environment.TickCount64) : -1;
            if (HealthChecks?.WaitMilliseconds() is int due and >= 0)
            {
                timeout = timeout < 0 ? due : Math.Min(timeout, due);
            }

            if (Deadline > 0 && !TimedOut)
            {
                int left = (int)Math.Clamp(Deadline - Environment.TickCount64, 0, int.MaxValue);
                timeout = timeout < 0 ? left : Math.Min(timeout, left);
            }

            int ready = set.Wait(timeout);
            bool checkEnded = healthIndex >= 0 && set.Ready(healthIndex);

            if (outIndex >= 0 && set.Ready(outIndex))
            {
                Pump(ref stdout, "stdout", AttachFrame.Stdout);
            }

            if (errIndex >= 0 && set.Ready(errIndex))
            {
                Pump(ref stderr, "stderr", AttachFrame.Stderr);
            }

            if (terminalIndex >= 0 && set.Ready(terminalIndex))
            {
                Pump(ref terminal, "stdout", AttachFrame.Stdout, keepOpen: true);
            }

            for (int i = clientCount - 1; i >= 0 && firstClient >= 0; i--)
            {
                if (set.Ready(firstClient + i))
                {
                    ServeClient(clients[i]);
                }
            }

            if (listenIndex >= 0 && set.Ready(listenIndex) && UnixSockets.TryAccept(attachListener!) is SafeFileHandle client)
            {
                clients.Add(client);
            }

            exited = set.Ready(exitIndex);
            if (!exited)
            {
                HealthChecks?.AfterWait(checkEnded);
                if (HealthChecks is { } checks && (checkEnded || ready == 0))
                {
                    // A check's process left to this subreaper would keep the container from ending once it ended too.
                    AdoptedZombies.ReapInNamespaceOf(pid, checks.ChildPid);
                }

                KillAtDeadline(pid);
            }

            if (onIdle is null || exited)
            {
                continue;
            }

            // A check ending is not container activity: it does not postpone giving memory back.
            if (afterEachBusySpell && ready > (checkEnded ? 1 : 0))
            {
                idleAt = Environment.TickCount64 + (long)idleAfter.TotalMilliseconds;
            }
            else if (idleAt > 0 && Environment.TickCount64 >= idleAt)
            {
                idleAt = 0;
                onIdle();
            }
        }

        ChildExit exit;
        try
        {
            exit = ChildProcesses.Wait(pid);
        }
        catch (SystemCallException)
        {
            // Not our child (the runtime did not leave it to us as subreaper): the code is unknown.
            exit = new ChildExit(StateObserver.UnknownExitCode & 0xff, 0);
        }

        Drain(ref stdout, "stdout", AttachFrame.Stdout);
        Drain(ref stderr, "stderr", AttachFrame.Stderr);
        Drain(ref terminal, "stdout", AttachFrame.Stdout);
        return TimedOut ? new ChildExit(TimedOutExitCode, 0) : exit;
    }

    /// <summary>
    /// Kills the container once its <see cref="Deadline"/> has passed. The pid is the container's init, this process's
    /// child (or, with runc and crun, adopted by it as subreaper) and not yet reaped, so it cannot name another process.
    /// </summary>
    private void KillAtDeadline(int pid)
    {
        if (Deadline > 0 && !TimedOut && Environment.TickCount64 >= Deadline)
        {
            TimedOut = true;
            ChildProcesses.TrySignal(pid, 9);
        }
    }

    /// <summary>Tells every attached client the container's exit code.</summary>
    public void BroadcastExit(int code)
    {
        Span<byte> frame = stackalloc byte[5];
        frame[0] = AttachFrame.Exit;
        BinaryPrimitives.WriteInt32LittleEndian(frame[1..], code);
        Broadcast(frame);
    }

    /// <summary>
    /// Closing a unix socket that still holds unread input makes the peer's next recv fail with
    /// ECONNRESET before it reads the queued exit frame. So read and drop what clients still send
    /// (a late stdin close) until they hang up, for at most a second each.
    /// </summary>
    public void LingerForClients()
    {
        foreach (SafeFileHandle client in clients)
        {
            long deadline = Environment.TickCount64 + 1000;
            while (Environment.TickCount64 < deadline
                && PollSet.WaitReadable(client, (int)Math.Max(1, deadline - Environment.TickCount64))
                && UnixSockets.Receive(client, buffer) > 0)
            {
            }
        }
    }

    /// <summary>Closes everything but the clients (which the exit report still goes to).</summary>
    public void CloseStreams()
    {
        attachListener?.Dispose();
        attachListener = null;
        stdout?.Dispose();
        stdout = null;
        stderr?.Dispose();
        stderr = null;
        terminal?.Dispose();
        terminal = null;
        stdinWriter?.Dispose();
        stdinWriter = null;
        log?.Dispose();
        log = null;
    }

    public void Close()
    {
        CloseStreams();
        foreach (SafeFileHandle client in clients)
        {
            client.Dispose();
        }

        clients.Clear();
    }

    /// <summary>Moves one read of container output to the log and every attached client; closes the source at end of file.</summary>
    private bool Pump(ref SafeFileHandle? source, string stream, byte kind, bool keepOpen = false)
    {
        int n = Descriptors.Read(source!, buffer.AsSpan(1, AttachFrame.MaxPayload));
        if (n <= 0)
        {
            if (n == 0 && !keepOpen)
            {
                source!.Dispose();
                source = null;
            }

            return false;
        }

        log?.Write(stream, buffer.AsSpan(1, n));
        buffer[0] = kind;
        Broadcast(buffer.AsSpan(0, n + 1));
        return true;
    }

    private void Drain(ref SafeFileHandle? source, string stream, byte kind)
    {
        if (source is null)
        {
            return;
        }

        Descriptors.SetNonBlocking(source);
        while (source is not null && Pump(ref source, stream, kind))
        {
        }

        source?.Dispose();
        source = null;
    }

    private void Broadcast(ReadOnlySpan<byte> frame)
    {
        for (int i = clients.Count - 1; i >= 0; i--)
        {
            if (!UnixSockets.Send(clients[i], frame))
            {
                clients[i].Dispose();
                clients.RemoveAt(i);
            }
        }
    }

    private void ServeClient(SafeFileHandle client)
    {
        int n = UnixSockets.Receive(client, buffer);
        if (n == 0)
        {
            clients.Remove(client);
            client.Dispose();
            return;
        }

        switch (buffer[0])
        {
            case AttachFrame.Stdin:
                SafeFileHandle? target = terminal ?? stdinWriter;
                if (target is not null && !Descriptors.WriteAll(target, buffer.AsSpan(1, n - 1)) && target == stdinWriter)
                {
                    stdinWriter.Dispose();
                    stdinWriter = null;
                }

                break;
            case AttachFrame.StdinClose:
                stdinWriter?.Dispose();
                stdinWriter = null;
                break;
            case AttachFrame.Resize when n >= 5 && terminal is not null:
                new TerminalSize(BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(1)), BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(3))).TryApply(terminal);
                break;
        }
    }
}

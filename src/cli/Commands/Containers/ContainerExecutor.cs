using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Monitor;
using Skiff.Runtime.Process;
using Skiff.Runtime.Terminal;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// Runs a process in a running container through the OCI runtime's exec: <c>exec</c> (plain or with a terminal)
/// and <c>healthcheck run</c> (output captured, killed at a timeout). The caller has checked that the container
/// runs and, rootless, is inside its monitor's namespaces.
/// </summary>
public sealed class ContainerExecutor(ContainerStore store, string id, ContainerConfig config)
{
    private readonly OciRuntimeCli runtime = OciRuntimes.For(config.Runtime, store, id) with { LogFile = null };

    /// <summary>-u resolved against the container's /etc/passwd and /etc/group; an unknown name is a <see cref="Core.Errors.ErrorKind.CannotExecute"/> error.</summary>
    public ContainerUser? ResolveUser(string? user) => user is null ? null : ContainerUsers.Resolve(Rootfs, user, []);

    /// <summary>The exec's options, the command checked to exist first, as podman fails before it runs anything.</summary>
    public ExecOptions Prepare(IReadOnlyList<string> argv, IReadOnlyList<string> extraEnv, ContainerUser? user, string? cwd, bool detach)
    {
        ExecutableCheck.Verify(Rootfs, argv[0], [.. config.Env, .. extraEnv], cwd ?? config.WorkingDir);
        return new ExecOptions(argv)
        {
            Env = extraEnv,
            User = user is null ? null : $"{user.Uid}:{user.Gid}",
            AdditionalGids = user?.AdditionalGids ?? [],
            WorkingDir = cwd,
            Detach = detach,
        };
    }

    private string Rootfs => config.RootfsPath ?? store.RootfsMountPoint(id);

    /// <summary>The process gets our stdio (stdin only with <paramref name="stdin"/>); returns its exit code.</summary>
    public int RunPlain(ExecOptions options, bool stdin)
    {
        using SafeFileHandle input = stdin && !options.Detach ? new SafeFileHandle(0, ownsHandle: false) : Descriptors.OpenNull(write: false);
        using SafeFileHandle output = options.Detach ? Descriptors.OpenNull(write: true) : new SafeFileHandle(1, ownsHandle: false);
        using SafeFileHandle error = new(2, ownsHandle: false);
        int pid = new RuntimeInvoker(runtime).Spawn(runtime.Exec(id, options, null), input, output, error, options.PreserveFds);
        using var signals = new SignalForwarder(pid);
        return ChildProcesses.Wait(pid).ShellCode;
    }

    /// <summary>
    /// Runs the process detached from the runtime with its stdout and stderr into one pipe, reads what it writes
    /// and kills it (SIGKILL) when it has not ended after <paramref name="timeout"/>. As a child subreaper this
    /// process inherits it when the runtime exits, so it waits for the process itself.
    /// </summary>
    public ExecCapture RunCaptured(ExecOptions options, TimeSpan timeout, int maxOutput)
    {
        Descriptors.BecomeChildSubreaper();
        string pidFile = Path.Combine(store.RunDirectory(id), $"exec-{Environment.ProcessId}.pid");
        var output = new CapturedOutput(maxOutput);
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        (SafeFileHandle read, SafeFileHandle write) = Descriptors.Pipe();
        using (read)
        {
            int runtimePid;
            using (write)
            using (SafeFileHandle nullIn = Descriptors.OpenNull(write: false))
            {
                runtimePid = new RuntimeInvoker(runtime).Spawn(runtime.Exec(id, options with { Detach = true }, null, pidFile), nullIn, write, write);
            }

            int started = ChildProcesses.Wait(runtimePid).ShellCode;
            if (started != 0 || !TryReadPid(pidFile, out int pid))
            {
                // The runtime failed to start it: its message is the output.
                output.Drain(read, deadline);
                return new ExecCapture(started != 0 ? started : 126, output.Text, TimedOut: false);
            }

            using SafeFileHandle? exited = Descriptors.TryOpenPidFd(pid);
            bool ended = output.ReadUntil(read, exited, deadline);
            if (!ended)
            {
                ChildProcesses.TrySignal(pid, 9);
            }

            int code = Reap(pid);
            // What it wrote last; a background child that keeps the pipe open is not waited for.
            output.Drain(read, Environment.TickCount64 + 100);
            return new ExecCapture(ended ? code : -1, output.Text, TimedOut: !ended);
        }
    }

    /// <summary>
    /// Runs the process to its end with its stdout and stderr read apart (top's ps(1)); returns its exit code and
    /// the start of each, up to <paramref name="maxOutput"/> bytes. No timeout: podman waits for ps too.
    /// </summary>
    public (int ExitCode, string Stdout, string Stderr) RunCollected(ExecOptions options, int maxOutput)
    {
        var stdout = new CapturedOutput(maxOutput);
        var stderr = new CapturedOutput(maxOutput);
        (SafeFileHandle outRead, SafeFileHandle outWrite) = Descriptors.Pipe();
        (SafeFileHandle errRead, SafeFileHandle errWrite) = Descriptors.Pipe();
        using (outRead)
        using (errRead)
        {
            int pid;
            using (outWrite)
            using (errWrite)
            using (SafeFileHandle nullIn = Descriptors.OpenNull(write: false))
            {
                pid = new RuntimeInvoker(runtime).Spawn(runtime.Exec(id, options with { Detach = false }, null), nullIn, outWrite, errWrite);
            }

            CapturedOutput.ReadBoth(stdout, outRead, stderr, errRead);
            return (ChildProcesses.Wait(pid).ShellCode, stdout.Text, stderr.Text);
        }
    }

    /// <param name="detachKeys">The sequence that ends this session and leaves the process running; empty disables it.</param>
    /// <param name="skiff">This program, started to hold the terminal of a session the user detached from.</param>
    public async Task<int> RunWithTerminalAsync(ExecOptions options, bool stdin, byte[] detachKeys, string skiff)
    {
        Directory.CreateDirectory(store.SocketDirectory);
        string socketPath = Path.Combine(store.SocketDirectory, $"{id[..8]}-{Environment.ProcessId}.exec");
        File.Delete(socketPath);
        using SafeFileHandle listener = UnixSockets.Listen(socketPath, seqPacket: false);
        using SafeFileHandle nullIn = Descriptors.OpenNull(write: false);
        using SafeFileHandle error = new(2, ownsHandle: false);
        string pidFile = socketPath + ".pid";

        // The runtime detaches from the process it starts; as subreaper we inherit it and get its exit status.
        Descriptors.BecomeChildSubreaper();
        int pid = new RuntimeInvoker(runtime).Spawn(runtime.Exec(id, options, socketPath, pidFile), nullIn, error, error, options.PreserveFds);
        SafeFileHandle? master = null;
        try
        {
            using (SafeFileHandle? exited = Descriptors.TryOpenPidFd(pid))
            {
                var set = new PollSet();
                int listening = set.Add(listener);
                int done = exited is null ? -1 : set.Add(exited);
                set.Wait(-1);
                if (set.Ready(listening) && UnixSockets.TryAccept(listener) is SafeFileHandle connection)
                {
                    using (connection)
                    {
                        master = UnixSockets.ReceiveDescriptor(connection);
                    }
                }
                else if (done < 0 || set.Ready(done))
                {
                    return ChildProcesses.Wait(pid).ShellCode;
                }
            }
        }
        finally
        {
            File.Delete(socketPath);
        }

        using (master)
        {
            int started = ChildProcesses.Wait(pid).ShellCode;
            if (started != 0 || options.Detach)
            {
                return started;
            }

            TryReadPid(pidFile, out pid);

            using RawTerminal? raw = stdin ? RawTerminal.TryEnter(0) : RawTerminal.TryEnterOutput(1);
            TerminalSize.TryGet(0)?.TryApply(master!);
            using PosixSignalRegistration? resize = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => TerminalSize.TryGet(0)?.TryApply(master!));
            using var signals = new SignalForwarder(pid);
            PtyRelay relay = PtyRelay.Start(master!, stdin, detachKeys);
            Task<ChildExit> exited = ChildProcesses.WaitAsync(pid);
            if (await Task.WhenAny(exited, relay.Detached) != exited)
            {
                HoldTerminal(skiff, master!);
                raw?.Dispose();
                Console.Error.WriteLine();
                return 0;
            }

            int code = (await exited).ShellCode;
            // What the process wrote just before it ended may still sit in the pty: drain it (the master reads
            // end of file once every holder of the terminal is gone; a background child keeping it open is not waited for).
            relay.Output.Join(TimeSpan.FromSeconds(2));
            return code;
        }
    }

    /// <summary>
    /// Hands the pty master to <c>skiff oci __pty-hold</c> in a session of its own: when we exit, the process the user
    /// detached from keeps its terminal and is not hung up, and what it writes is read and dropped.
    /// </summary>
    private static void HoldTerminal(string skiff, SafeFileHandle master)
    {
        using SafeFileHandle nullOut = Descriptors.OpenNull(write: true);
        Spawner.Spawn(new SpawnRequest(skiff, ["oci", Oci.OciPtyHoldCommand.Name], RuntimeInvoker.CurrentEnvironment())
        {
            Descriptors = [(master, 0), (nullOut, 1), (nullOut, 2)],
            NewSession = true,
        });
    }

    /// <summary>Reads and deletes the pid file a detached exec wrote.</summary>
    private static bool TryReadPid(string pidFile, out int pid)
    {
        pid = 0;
        try
        {
            bool read = int.TryParse(File.ReadAllText(pidFile).Trim(), global::System.Globalization.NumberStyles.None, global::System.Globalization.CultureInfo.InvariantCulture, out pid);
            File.Delete(pidFile);
            return read && pid > 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int Reap(int pid)
    {
        try
        {
            return ChildProcesses.Wait(pid).ShellCode;
        }
        catch (Core.Errors.SystemCallException)
        {
            // Not our child (the runtime kept it): its code is unknown.
            return 1;
        }
    }
}

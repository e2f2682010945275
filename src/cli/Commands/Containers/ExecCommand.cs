using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Rootless.Storage;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Monitor;
using Skiff.Runtime.Process;
using Skiff.Runtime.Terminal;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// <c>skiff exec [-i] [-t] [-d] [-e K=V] [-u USER] [-w DIR] CONTAINER COMMAND...</c> through the OCI
/// runtime's exec, which waits for the process and exits with its code. Without -t the process gets our
/// stdio directly; with -t we take the pty master from the runtime's console socket and relay it.
/// </summary>
public static class ExecCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var interactive = new Option<bool>("--interactive", "-i") { Description = "Keep STDIN open even if not attached" };
        var tty = new Option<bool>("--tty", "-t") { Description = "Allocate a pseudo-TTY" };
        var detach = new Option<bool>("--detach", "-d") { Description = "Run the exec session in detached mode" };
        var env = new Option<string[]>("--env", "-e") { Description = "Set environment variables" };
        var user = new Option<string?>("--user", "-u") { Description = "uid[:gid] to run the command as" };
        var workdir = new Option<string?>("--workdir", "-w") { Description = "Working directory inside the container" };
        var container = new Argument<string>("container");
        var commandLine = new Argument<string[]>("command") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("exec", "Run a process in a running container") { interactive, tty, detach, env, user, workdir, container, commandLine };
        command.SetAction(async (parse, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            string id = lifecycle.Store.Resolve(parse.GetValue(container)!);
            ContainerConfig config = lifecycle.Store.ReadConfig(id);
            ContainerState state = lifecycle.Observe(id);
            // A paused container's processes are frozen: podman refuses an exec there too. podman exits
            // 255 when the session it attaches to cannot be made (its exec's "no exit code"), and 125 with -d.
            if (state.Status != ContainerStatus.Running)
            {
                var improper = SkiffException.Conflict("can only create exec sessions on running containers: container state improper");
                if (parse.GetValue(detach))
                {
                    throw improper;
                }

                context.Reporter.Report(improper);
                return ExitCodes.ExecSessionFailed;
            }

            if (context.User.Rootless && !context.User.InsideUserNamespace)
            {
                // A rootless container, its root mount and its runtime live in the user and mount
                // namespaces of its monitor: run this same exec again in there.
                return await UserNamespaceReexec.ForUser(context.User, context.Runner)
                    .RunJoinedAsync(context.SelfExecutable, Environment.GetCommandLineArgs()[1..], state.MonitorPid, cancellationToken);
            }

            string[] argv = parse.GetValue(commandLine)!;
            IReadOnlyList<string> extraEnv = EnvironmentFlags.Collect(parse.GetValue(env) ?? [], []);
            if (parse.GetValue(tty) && !extraEnv.Any(e => e.StartsWith("TERM=", StringComparison.Ordinal)))
            {
                // docker gives an exec with a terminal TERM=xterm unless the user sets it.
                extraEnv = [.. extraEnv, "TERM=xterm"];
            }
            string? uid = parse.GetValue(user);
            IReadOnlyList<uint> groups = [];
            if (uid is not null)
            {
                ContainerUser resolved;
                try
                {
                    resolved = ContainerUsers.Resolve(config.RootfsPath ?? lifecycle.Store.RootfsMountPoint(id), uid, []);
                }
                catch (SkiffException e) when (e.Kind == ErrorKind.CannotExecute)
                {
                    // An unknown user or group: podman's exec session fails before it runs anything (255).
                    context.Reporter.Report(e);
                    return ExitCodes.ExecSessionFailed;
                }

                uid = $"{resolved.Uid}:{resolved.Gid}";
                groups = resolved.AdditionalGids;
            }

            string? cwd = parse.GetValue(workdir);
            ExecutableCheck.Verify(config.RootfsPath ?? lifecycle.Store.RootfsMountPoint(id), argv[0], [.. config.Env, .. extraEnv], cwd ?? config.WorkingDir);
            var options = new ExecOptions(argv) { Env = extraEnv, User = uid, AdditionalGids = groups, WorkingDir = cwd, Detach = parse.GetValue(detach) };
            OciRuntimeCli runtime = OciRuntimes.For(config.Runtime, lifecycle.Store, id) with { LogFile = null };
            bool terminal = parse.GetValue(tty);
            bool stdin = parse.GetValue(interactive);
            return terminal ? await RunWithTerminalAsync(lifecycle.Store, id, runtime, options, stdin) : RunPlain(runtime, id, options, stdin);
        });
        return command;
    }

    private static int RunPlain(OciRuntimeCli runtime, string id, ExecOptions options, bool stdin)
    {
        using SafeFileHandle input = stdin && !options.Detach ? new SafeFileHandle(0, ownsHandle: false) : Descriptors.OpenNull(write: false);
        using SafeFileHandle output = options.Detach ? Descriptors.OpenNull(write: true) : new SafeFileHandle(1, ownsHandle: false);
        using SafeFileHandle error = new(2, ownsHandle: false);
        int pid = new RuntimeInvoker(runtime).Spawn(runtime.Exec(id, options, null), input, output, error);
        using var signals = new SignalForwarder(pid);
        return ChildProcesses.Wait(pid).ShellCode;
    }

    private static async Task<int> RunWithTerminalAsync(ContainerStore store, string id, OciRuntimeCli runtime, ExecOptions options, bool stdin)
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
        int pid = new RuntimeInvoker(runtime).Spawn(runtime.Exec(id, options, socketPath, pidFile), nullIn, error, error);
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

            pid = int.Parse(File.ReadAllText(pidFile).Trim(), global::System.Globalization.CultureInfo.InvariantCulture);
            File.Delete(pidFile);

            using RawTerminal? raw = stdin ? RawTerminal.TryEnter(0) : RawTerminal.TryEnterOutput(1);
            TerminalSize.TryGet(0)?.TryApply(master!);
            using PosixSignalRegistration? resize = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => TerminalSize.TryGet(0)?.TryApply(master!));
            using var signals = new SignalForwarder(pid);
            Thread output = PtyRelay.Start(master!, stdin);
            int code = (await ChildProcesses.WaitAsync(pid)).ShellCode;
            // What the process wrote just before it ended may still sit in the pty: drain it (the master reads
            // end of file once every holder of the terminal is gone; a background child keeping it open is not waited for).
            output.Join(TimeSpan.FromSeconds(2));
            return code;
        }
    }
}

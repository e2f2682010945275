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
/// stdio directly; with -t we take the pty master from the runtime's console socket and relay it, and the
/// detach keys (ctrl-p,ctrl-q unless --detach-keys says otherwise) leave the process running.
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
        var envFile = new Option<string[]>("--env-file") { Description = "Read in a file of environment variables" };
        var privileged = new Option<bool>("--privileged") { Description = "Give the process all of skiff's capabilities" };
        Option<string?> preserveFds = PreserveFdsFlag.Create();
        var detachKeys = new Option<string?>("--detach-keys") { Description = "Select the key sequence for detaching an exec session (\"\" disables it)" };
        var latest = LatestContainer.CreateOption();
        var container = new Argument<string?>("container") { Arity = ArgumentArity.ZeroOrOne };
        var commandLine = new Argument<string[]>("command") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("exec", "Run a process in a running container")
        {
            interactive, tty, detach, detachKeys, env, envFile, user, workdir, privileged, preserveFds, latest, container, commandLine,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parse);
            int preserved = PreserveFdsFlag.Parse(parse.GetValue(preserveFds));
            byte[] keys = DetachKeys.Parse(parse.GetValue(detachKeys) ?? DetachKeys.Default);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            // With -l every argument is the command's (podman's).
            bool last = parse.GetValue(latest);
            string? name = last ? null : parse.GetValue(container);
            string[] argv = last && parse.GetValue(container) is string first ? [first, .. parse.GetValue(commandLine) ?? []] : parse.GetValue(commandLine) ?? [];
            string id = LatestContainer.Resolve(lifecycle.Store, last, name, "exec requires the name or ID of a container or the --latest flag");
            if (argv.Length == 0)
            {
                // podman's exec session refuses an empty command: 255 as any exec session that cannot be made, 125 with -d.
                var empty = SkiffException.InvalidArgument("must provide a non-empty command to start an exec session: invalid argument", "give the command to run after the container's name");
                if (parse.GetValue(detach))
                {
                    throw empty;
                }

                context.Reporter.Report(empty);
                return ExitCodes.ExecSessionFailed;
            }

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
                    .RunJoinedAsync(context.SelfExecutable, Environment.GetCommandLineArgs()[1..], state.MonitorPid, cancellationToken, preserved);
            }

            IReadOnlyList<string> extraEnv = EnvironmentFlags.Collect(parse.GetValue(env) ?? [], parse.GetValue(envFile) ?? []);
            if (parse.GetValue(tty) && !extraEnv.Any(e => e.StartsWith("TERM=", StringComparison.Ordinal)))
            {
                // docker gives an exec with a terminal TERM=xterm unless the user sets it.
                extraEnv = [.. extraEnv, "TERM=xterm"];
            }

            var executor = new ContainerExecutor(lifecycle.Store, id, config);
            ContainerUser? resolved;
            try
            {
                resolved = executor.ResolveUser(parse.GetValue(user));
            }
            catch (SkiffException e) when (e.Kind == ErrorKind.CannotExecute)
            {
                // An unknown user or group: podman's exec session fails before it runs anything (255).
                context.Reporter.Report(e);
                return ExitCodes.ExecSessionFailed;
            }

            ExecOptions options = executor.Prepare(argv, extraEnv, resolved, parse.GetValue(workdir), parse.GetValue(detach)) with
            {
                // podman's exec --privileged: every capability skiff holds; the container's seccomp filter stays, as
                // with podman 4.3 on runc and crun (their exec keeps the container's filter).
                Capabilities = parse.GetValue(privileged) ? HostCapabilities.Bounding() : [],
                PreserveFds = preserved,
            };
            bool stdin = parse.GetValue(interactive);
            lifecycle.Store.RecordEvent(config, "exec");
            int code = parse.GetValue(tty) ? await executor.RunWithTerminalAsync(options, stdin, keys, context.SelfExecutable) : executor.RunPlain(options, stdin);
            if (!parse.GetValue(detach))
            {
                lifecycle.Store.RecordEvent(config, "exec_died");
            }

            return code;
        });
        return command;
    }
}

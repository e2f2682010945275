using System.CommandLine;
using Skiff.Runtime.Containers;

namespace Skiff.Cli.Commands.Oci;

/// <summary>
/// <c>skiff oci exec [--tty --console-socket S] [--detach] [--pid-file F] [--env K=V] [--user UID[:GID]] [--cwd DIR] ID [--] COMMAND...</c>:
/// runs a process in a running container, as runc's and crun's exec.
/// </summary>
public static class OciExecCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var id = new Argument<string>("container-id") { Description = "Container id" };
        var commandLine = new Argument<string[]>("command") { Arity = ArgumentArity.OneOrMore, Description = "Command and arguments (after -- when they start with -)" };
        var tty = new Option<bool>("--tty", "-t") { Description = "Allocate a pseudo-TTY (sent to --console-socket)" };
        var consoleSocket = new Option<string?>("--console-socket") { Description = "AF_UNIX socket that receives the pty master" };
        var detach = new Option<bool>("--detach", "-d") { Description = "Return once the process runs" };
        var pidFile = new Option<string?>("--pid-file") { Description = "Write the process's pid to this file" };
        var env = new Option<string[]>("--env", "-e") { Description = "Set an environment variable" };
        var user = new Option<string?>("--user", "-u") { Description = "uid[:gid] to run as" };
        var cwd = new Option<string?>("--cwd") { Description = "Working directory inside the container" };
        var command = new Command("exec", "Run a process in a running container") { id, commandLine, tty, consoleSocket, detach, pidFile, env, user, cwd };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            OciRuntime runtime = OciCommand.Runtime(globals, parseResult);
            return await runtime.ExecAsync(
                new ExecOptions(parseResult.GetValue(id)!, parseResult.GetValue(commandLine)!)
                {
                    Tty = parseResult.GetValue(tty),
                    ConsoleSocket = parseResult.GetValue(consoleSocket),
                    Detach = parseResult.GetValue(detach),
                    PidFile = parseResult.GetValue(pidFile),
                    Env = parseResult.GetValue(env) ?? [],
                    User = parseResult.GetValue(user),
                    Cwd = parseResult.GetValue(cwd),
                },
                cancellationToken);
        });
        return command;
    }
}

using System.CommandLine;
using System.Globalization;
using Skiff.Core.Errors;
using Skiff.Runtime.Containers;
using Skiff.Runtime.Spec;

namespace Skiff.Cli.Commands.Oci;

/// <summary>
/// <c>skiff oci exec [--process FILE | [--env K=V] [--user UID[:GID]] [--cwd DIR] ID COMMAND...] [--tty --console-socket S] [--detach] [--pid-file F]</c>:
/// runs a process in a running container, as runc's exec (conmon passes <c>--process FILE --detach --pid-file F</c>).
/// </summary>
public static class OciExecCommand
{
    public static Command Create(GlobalOptions globals, OciOptions oci)
    {
        var id = new Argument<string>("container-id") { Description = "Container id" };
        var commandLine = new Argument<string[]>("command") { Arity = ArgumentArity.ZeroOrMore, Description = "Command and arguments (after -- when they start with -); none with --process" };
        var process = new Option<string?>("--process", "-p") { Description = "A runtime-spec process.json describing the whole process" };
        var tty = new Option<bool>("--tty", "-t") { Description = "Allocate a pseudo-TTY (sent to --console-socket)" };
        var consoleSocket = new Option<string?>("--console-socket") { Description = "AF_UNIX socket that receives the pty master" };
        var detach = new Option<bool>("--detach", "-d") { Description = "Return once the process runs" };
        var pidFile = new Option<string?>("--pid-file") { Description = "Write the process's pid to this file" };
        var env = new Option<string[]>("--env", "-e") { Description = "Set an environment variable" };
        var user = new Option<string?>("--user", "-u") { Description = "uid[:gid] to run as" };
        var additionalGids = new Option<string[]>("--additional-gids", "-g") { Description = "Additional gid of the process" };
        var cwd = new Option<string?>("--cwd") { Description = "Working directory inside the container" };
        var noNewPrivs = new Option<bool>("--no-new-privs") { Description = "Set no_new_privs for the process" };
        var cap = new Option<string[]>("--cap", "-c") { Description = "Add a capability to the bounding, effective and permitted sets" };
        var preserveFds = new Option<int>("--preserve-fds") { Description = "Pass N additional file descriptors (3 and up) to the process" };
        var command = new Command("exec", "Run a process in a running container") { id, commandLine, process, tty, consoleSocket, detach, pidFile, env, user, additionalGids, cwd, noNewPrivs, cap, preserveFds };
        command.SetAction((parseResult, cancellationToken) => oci.RunAsync(parseResult, async () =>
        {
            string[] args = parseResult.GetValue(commandLine) ?? [];
            string? processFile = parseResult.GetValue(process);
            ProcessSpec? spec = processFile is null ? null : SpecFile.LoadProcess(processFile);
            if (spec is null && args.Length == 0)
            {
                throw SkiffException.InvalidArgument("exec needs a command or --process FILE");
            }

            OciRuntime runtime = OciCommand.Runtime(globals, parseResult);
            return await runtime.ExecAsync(
                new ExecOptions(parseResult.GetValue(id)!, spec is null ? args : spec.Args)
                {
                    Process = spec,
                    Tty = parseResult.GetValue(tty) || (spec?.Terminal ?? false),
                    ConsoleSocket = parseResult.GetValue(consoleSocket),
                    Detach = parseResult.GetValue(detach),
                    PidFile = parseResult.GetValue(pidFile),
                    Env = parseResult.GetValue(env) ?? [],
                    User = parseResult.GetValue(user),
                    AdditionalGids = [.. (parseResult.GetValue(additionalGids) ?? []).Select(ParseGid)],
                    Cwd = parseResult.GetValue(cwd),
                    NoNewPrivileges = parseResult.GetValue(noNewPrivs),
                    Capabilities = [.. (parseResult.GetValue(cap) ?? []).Select(ParseCapability)],
                    PreserveFds = parseResult.GetValue(preserveFds) >= 0 ? parseResult.GetValue(preserveFds) : throw SkiffException.InvalidArgument("--preserve-fds must not be negative"),
                },
                cancellationToken);
        }));
        return command;
    }

    private static string ParseCapability(string name) => Capabilities.TryParse(name, out int number)
        ? Capabilities.All[number]
        : throw SkiffException.InvalidArgument($"unknown capability `{name}`");

    private static uint ParseGid(string text) => uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint gid)
        ? gid
        : throw SkiffException.InvalidArgument($"invalid --additional-gids `{text}`: give a numeric gid");
}

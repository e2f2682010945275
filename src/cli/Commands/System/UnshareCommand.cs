using System.CommandLine;
using System.Diagnostics;
using Skiff.Core.Errors;

namespace Skiff.Cli.Commands.System;

/// <summary>
/// <c>skiff unshare [COMMAND...]</c>: runs a command inside skiff's rootless user namespace, as
/// podman unshare does. Program.cs has already re-executed skiff inside the namespace.
/// </summary>
public static class UnshareCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var commandLine = new Argument<string[]>("command") { Arity = ArgumentArity.ZeroOrMore, Description = "Command to run (default: $SHELL)" };
        var command = new Command("unshare", "Run a command in a modified user namespace") { commandLine };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parseResult);
            if (!context.User.Rootless)
            {
                throw SkiffException.InvalidArgument("please use unshare with rootless", "as root, run the command directly");
            }

            string[] argv = parseResult.GetValue(commandLine) ?? [];
            if (argv.Length == 0)
            {
                argv = [Environment.GetEnvironmentVariable("SHELL") is { Length: > 0 } shell ? shell : "/bin/sh"];
            }

            var startInfo = new ProcessStartInfo(argv[0]) { UseShellExecute = false };
            foreach (string argument in argv.Skip(1))
            {
                startInfo.ArgumentList.Add(argument);
            }

            startInfo.Environment["CONTAINERS_GRAPHROOT"] = context.Paths.Root;
            startInfo.Environment["CONTAINERS_RUNROOT"] = context.Paths.RunRoot;
            // The rootless identity stays, so skiff run inside uses the user's rootless store (as podman
            // unshare keeps _CONTAINERS_ROOTLESS_UID), and the marker says mounts made here outlive one command.
            startInfo.Environment[UnshareCommandVariables.Unshared] = "1";
            Process process;
            try
            {
                process = Process.Start(startInfo)!;
            }
            catch (global::System.ComponentModel.Win32Exception e)
            {
                throw new SkiffException(
                    e.NativeErrorCode == Errnos.ENOENT ? ErrorKind.CommandNotFound : ErrorKind.CannotExecute,
                    e.NativeErrorCode == Errnos.ENOENT
                        ? $"cannot run {argv[0]}: executable file not found in $PATH"
                        : $"cannot run {argv[0]}: {Errnos.Describe(e.NativeErrorCode)}");
            }

            using (process)
            {
                await process.WaitForExitAsync(cancellationToken);
                return process.ExitCode;
            }
        });
        return command;
    }
}

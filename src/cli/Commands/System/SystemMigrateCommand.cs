using System.CommandLine;
using Skiff.Rootless.Storage;

namespace Skiff.Cli.Commands.System;

/// <summary>
/// <c>skiff system migrate</c>: stops the rootless user's user-namespace holder (podman's pause process), as
/// <c>podman system migrate</c> does, e.g. after /etc/subuid or /etc/subgid changed or skiff was upgraded. Running
/// containers keep their namespaces; the next rootless command starts a new holder. Prints nothing, as podman; as root there is nothing to stop.
/// </summary>
public static class SystemMigrateCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("migrate", "Stop the process holding the rootless user namespace, so the next command starts a new one");
        command.SetAction(parseResult =>
        {
            CliContext context = globals.Resolve(parseResult);
            if (context.User.Rootless && !context.User.InsideUserNamespace)
            {
                int? stopped = UserNamespaceHolder.ForUser(context.User.Uid).Stop();
                if (context.Debug && stopped is int pid)
                {
                    context.Error.WriteLine($"stopped the rootless user namespace holder (pid {pid})");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}

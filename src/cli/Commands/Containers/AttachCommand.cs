using System.CommandLine;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Monitor;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// <c>skiff attach [--detach-keys] [--no-stdin] CONTAINER</c>: reconnects this terminal to a running
/// container's stdio or pty through its monitor; ctrl-p ctrl-q detaches, the container's exit ends it
/// with the container's code.
/// </summary>
public static class AttachCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var detachKeys = new Option<string?>("--detach-keys") { Description = "Select the key sequence for detaching a container" };
        var noStdin = new Option<bool>("--no-stdin") { Description = "Do not attach STDIN" };
        var sigProxy = new Option<bool>("--sig-proxy") { Description = "Proxy received signals to the process", DefaultValueFactory = _ => true };
        var latest = LatestContainer.CreateOption();
        var container = new Argument<string?>("container") { Arity = ArgumentArity.ZeroOrOne, Description = "Container name or ID" };
        var command = new Command("attach", "Attach to a running container") { detachKeys, noStdin, sigProxy, latest, container };
        command.SetAction(async (parse, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            string id = LatestContainer.Resolve(lifecycle.Store, parse.GetValue(latest), parse.GetValue(container), "\"skiff attach\" requires a name, id, or the \"--latest\" flag");
            ContainerConfig config = lifecycle.Store.ReadConfig(id);
            string? keys = parse.GetValue(detachKeys) ?? config.DetachKeys;
            if (keys is not null)
            {
                DetachKeys.Parse(keys);
            }

            if (!lifecycle.Observe(id).Running)
            {
                throw SkiffException.Conflict("you can only attach to running containers");
            }

            SafeFileHandle socket;
            try
            {
                socket = AttachClient.Connect(lifecycle.Store.AttachSocketPath(id));
            }
            catch (SkiffException e)
            {
                throw SkiffException.Unavailable($"cannot reach the monitor of container {id}: {e.Message}", "the container may have just exited: check 'skiff ps -a'");
            }

            lifecycle.Store.RecordEvent(config, "attach");
            return await ForegroundSession.RunAsync(lifecycle, id, socket, config.Tty, !parse.GetValue(noStdin) && config.OpenStdin, keys, parse.GetValue(sigProxy));
        });
        return command;
    }
}

using System.CommandLine;
using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff start [-a] [-i] CONTAINER...</c>: created and exited containers get a monitor; an initialized one's monitor (<c>skiff init</c>) starts it.</summary>
public static class StartCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var attach = new Option<bool>("--attach", "-a") { Description = "Attach container's STDOUT and STDERR" };
        var interactive = new Option<bool>("--interactive", "-i") { Description = "Attach container's STDIN" };
        var detachKeys = new Option<string?>("--detach-keys") { Description = "Override the key sequence for detaching a container" };
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("start", "Start one or more stopped containers") { attach, interactive, detachKeys, containers };
        command.SetAction(async (parse, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            string[] targets = parse.GetValue(containers)!;
            if (parse.GetValue(attach) || parse.GetValue(interactive))
            {
                if (targets.Length != 1)
                {
                    throw Core.Errors.SkiffException.InvalidArgument("you cannot start and attach multiple containers at once");
                }

                string id = lifecycle.Store.Resolve(targets[0]);
                ContainerConfig config = lifecycle.Store.ReadConfig(id);
                string? keys = parse.GetValue(detachKeys) ?? config.DetachKeys;
                // --log-driver passthrough: the container writes to (and with -i reads) this command's own descriptors.
                bool passthrough = config.LogDriver == Runtime.Logs.LogDrivers.Passthrough && !config.Tty;
                bool stdin = parse.GetValue(interactive) && config.OpenStdin && !passthrough;
                AttachStreams? streams = passthrough ? new AttachStreams(false, false) : null;
                SafeFileHandle? initialized;
                try
                {
                    initialized = lifecycle.StartInitializedAttached(id);
                }
                catch (Core.Errors.SkiffException e)
                {
                    context.Reporter.Report(new Core.Errors.SkiffException(e.Kind, $"unable to start container {id}: {e.Message}", e.Hint, e));
                    return ExitCodes.EngineError;
                }

                if (initialized is not null)
                {
                    return await ForegroundSession.RunAsync(lifecycle, id, initialized, config.Tty, stdin, keys, streams: streams);
                }

                (var ours, var theirs) = UnixSockets.SeqPacketPair();
                using (theirs)
                {
                    try
                    {
                        if (lifecycle.Observe(id).Running)
                        {
                            ours.Dispose();
                            ours = Runtime.Monitor.AttachClient.Connect(lifecycle.Store.AttachSocketPath(id));
                        }
                        else
                        {
                            lifecycle.Start(id, theirs);
                        }
                    }
                    catch (Core.Errors.SkiffException e)
                    {
                        // podman's start names the container (here without quotes) and exits 125 whatever
                        // failed, also where run exits 126 or 127.
                        ours.Dispose();
                        context.Reporter.Report(new Core.Errors.SkiffException(e.Kind, $"unable to start container {id}: {e.Message}", e.Hint, e));
                        return ExitCodes.EngineError;
                    }
                    catch
                    {
                        ours.Dispose();
                        throw;
                    }
                }

                return await ForegroundSession.RunAsync(lifecycle, id, ours, config.Tty, stdin, keys, streams: streams);
            }

            return ContainerServices.ForEachContainer(context, lifecycle.Store, targets, (target, id) =>
            {
                // podman names only the containers it started.
                if (!lifecycle.Observe(id).Running)
                {
                    try
                    {
                        lifecycle.Start(id, null);
                    }
                    catch (Core.Errors.SkiffException e)
                    {
                        // podman's words; every failed start exits 125 (ForEachContainer).
                        throw new Core.Errors.SkiffException(e.Kind, $"unable to start container \"{id}\": {e.Message}", e.Hint, e);
                    }

                    context.Out.WriteLine(target);
                }
            });
        });
        return command;
    }
}

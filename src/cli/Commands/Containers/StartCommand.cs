using System.CommandLine;
using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff start [-a] [-i] [--sig-proxy] [--all|-l|--filter K=V] CONTAINER...</c>: created and exited containers get a monitor; an initialized one's monitor (<c>skiff init</c>) starts it.</summary>
public static class StartCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var attach = new Option<bool>("--attach", "-a") { Description = "Attach container's STDOUT and STDERR" };
        var interactive = new Option<bool>("--interactive", "-i") { Description = "Attach container's STDIN" };
        var detachKeys = new Option<string?>("--detach-keys") { Description = "Override the key sequence for detaching a container" };
        var all = new Option<bool>("--all") { Description = "Start all containers regardless of their state or configuration" };
        var filters = new Option<string[]>("--filter", "-f") { Description = "Filter output based on conditions given" };
        var latest = LatestContainer.CreateOption();
        var sigProxy = new Option<bool?>("--sig-proxy") { Description = "Proxy received signals to the process (default true if attaching, false otherwise)" };
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("start", "Start one or more stopped containers") { attach, interactive, detachKeys, all, filters, latest, sigProxy, containers };
        command.SetAction(async (parse, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            bool attaching = parse.GetValue(attach) || parse.GetValue(interactive);
            if (parse.GetValue(sigProxy) == true && !attaching)
            {
                throw Core.Errors.SkiffException.InvalidArgument("you cannot use sig-proxy without --attach: invalid argument", "give --attach, or leave --sig-proxy out");
            }

            IReadOnlyList<string> targets = Targets(context, lifecycle, parse.GetValue(all), parse.GetValue(latest), parse.GetValue(filters) ?? [], parse.GetValue(containers) ?? []);
            if (attaching)
            {
                if (targets.Count != 1)
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
                // Taken before the start: the container may write to the caller (passthrough) before the session begins.
                bool proxySignals = parse.GetValue(sigProxy) ?? true;
                ContainerSignalProxy? signals = proxySignals ? new ContainerSignalProxy(lifecycle, id) : null;
                try
                {
                    initialized = lifecycle.StartInitializedAttached(id);
                }
                catch (Core.Errors.SkiffException e)
                {
                    signals?.Dispose();
                    context.Reporter.Report(new Core.Errors.SkiffException(e.Kind, $"unable to start container {id}: {e.Message}", e.Hint, e));
                    return ExitCodes.EngineError;
                }
                catch
                {
                    signals?.Dispose();
                    throw;
                }

                if (initialized is not null)
                {
                    return await ForegroundSession.RunAsync(lifecycle, id, initialized, config.Tty, stdin, keys, proxySignals, streams, signals);
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
                        signals?.Dispose();
                        ours.Dispose();
                        context.Reporter.Report(new Core.Errors.SkiffException(e.Kind, $"unable to start container {id}: {e.Message}", e.Hint, e));
                        return ExitCodes.EngineError;
                    }
                    catch
                    {
                        signals?.Dispose();
                        ours.Dispose();
                        throw;
                    }
                }

                return await ForegroundSession.RunAsync(lifecycle, id, ours, config.Tty, stdin, keys, proxySignals, streams, signals);
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

    /// <summary>
    /// podman's start targets: with a filter every container it matches, with <c>--all</c> every container, with
    /// <c>-l</c> the latest, else the names (full ids are printed for the first three).
    /// </summary>
    private static IReadOnlyList<string> Targets(
        CliContext context, ContainerLifecycle lifecycle, bool all, bool latest, string[] filters, string[] names)
    {
        if (filters.Length > 0)
        {
            var filter = new ContainerFilter(filters, new(() => Images.ImageServices.Local(context)), lifecycle.Store);
            return ContainerTargets.Matching(lifecycle, filter);
        }

        string? conflict = (names.Length > 0, all, latest) switch
        {
            (true, _, true) => LatestContainer.WithNames,
            (_, true, true) => "--all and --latest cannot be used together",
            (true, true, _) => "either start all containers or the container(s) provided in the arguments",
            (false, false, false) => "start requires at least one argument",
            _ => null,
        };
        if (conflict is not null)
        {
            throw Core.Errors.SkiffException.InvalidArgument(conflict);
        }

        return all ? lifecycle.Store.ListIds() : latest ? [LatestContainer.Id(lifecycle.Store)] : names;
    }
}

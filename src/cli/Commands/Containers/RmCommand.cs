using System.CommandLine;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff rm [-f [-t SECONDS]] [-v] [--depend] [-a|-l|--cidfile FILE|--filter K=V] CONTAINER...</c></summary>
public static class RmCommand
{
    /// <summary>podman's exit status when a container to remove is running or paused (podman-rm(1)).</summary>
    public const int RunningExitCode = 2;

    /// <summary>podman's exit status when a container to remove does not exist.</summary>
    public const int MissingExitCode = 1;

    public static Command Create(GlobalOptions globals)
    {
        var force = new Option<bool>("--force", "-f") { Description = "Force removal of a running container (SIGKILL)" };
        var volumes = new Option<bool>("--volumes", "-v") { Description = "Remove anonymous volumes associated with the container" };
        var all = new Option<bool>("--all", "-a") { Description = "Remove all containers" };
        var ignore = new Option<bool>("--ignore", "-i") { Description = "Ignore errors when a specified container is missing" };
        var time = new Option<int?>("--time", "-t") { Description = "With --force, seconds to wait for the stop signal before killing (default: kill at once)" };
        var depend = new Option<bool>("--depend") { Description = "Remove the container and all containers that depend on it" };
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("rm", "Remove one or more containers") { force, volumes, all, ignore, time, depend, containers };
        command.Aliases.Add("remove");
        var selection = new ContainerTargets(filterAlias: false);
        selection.AddTo(command);
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            IEnumerable<string> targets;
            try
            {
                targets = selection.Select(parse, context, lifecycle, parse.GetValue(all), parse.GetValue(containers)!, _ => true, ignoreMissingFiles: parse.GetValue(ignore));
            }
            catch (SkiffException e) when (e.Kind == ErrorKind.NotFound)
            {
                // --latest in an empty store: podman-rm(1)'s status for a container that does not exist.
                context.Reporter.Report(e);
                return MissingExitCode;
            }

            bool refusedRunning = false;
            // podman-rm(1): 1 when a named container does not exist (ignored with --force or --ignore), 2 when one is running.
            void RemoveOne(string id)
            {
                IReadOnlyList<ContainerMount> mounts = lifecycle.Store.ReadConfig(id).Mounts;
                if (parse.GetValue(force) && parse.GetValue(time) is int seconds and > 0 && lifecycle.Observe(id).Status == ContainerStatus.Running)
                {
                    lifecycle.Stop(id, seconds, ContainerServices.StopTimeoutWarning(context, lifecycle, id));
                }

                try
                {
                    lifecycle.Remove(id, parse.GetValue(force));
                }
                catch (SkiffException e) when (e.Kind == ErrorKind.Conflict)
                {
                    refusedRunning = true;
                    throw;
                }

                if (parse.GetValue(volumes))
                {
                    ContainerServices.Volumes(context).RemoveAnonymous(mounts);
                }
            }

            int exit = ContainerServices.ForEachContainer(context, lifecycle.Store, targets, (target, id) =>
            {
                if (parse.GetValue(depend))
                {
                    // The dependents first, theirs before them (podman prints every removed container's full id).
                    foreach (string dependent in DependentsFirst(lifecycle.Store, id))
                    {
                        RemoveOne(dependent);
                        context.Out.WriteLine(dependent);
                    }
                }

                RemoveOne(id);
                context.Out.WriteLine(parse.GetValue(depend) ? id : target);
            }, ignoreMissing: parse.GetValue(force) || parse.GetValue(ignore), missingExit: MissingExitCode);
            return refusedRunning && exit == ExitCodes.EngineError ? RunningExitCode : exit;
        });
        return command;
    }

    /// <summary>The containers that depend on <paramref name="id"/>, directly or not, each after those that depend on it.</summary>
    private static List<string> DependentsFirst(ContainerStore store, string id)
    {
        var order = new List<string>();
        void Visit(string dependency)
        {
            foreach (string dependent in ContainerDependencies.Dependents(store, dependency))
            {
                if (!order.Contains(dependent))
                {
                    Visit(dependent);
                    order.Add(dependent);
                }
            }
        }

        Visit(id);
        return order;
    }
}

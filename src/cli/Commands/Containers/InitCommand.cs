using System.CommandLine;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// <c>skiff init [-a|-l] CONTAINER...</c> (podman's <c>init</c>): the runtime creates each container (namespaces, mounts,
/// cgroup) and its monitor waits with the process not started; <c>inspect</c> says "initialized", <c>start</c> runs it.
/// </summary>
public static class InitCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Initialize all containers" };
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.ZeroOrMore, Description = "Container names or IDs" };
        var latest = LatestContainer.CreateOption();
        var command = new Command("init", "Initialize one or more containers") { all, latest, containers };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            string[] targets = parse.GetValue(containers) ?? [];
            bool everything = parse.GetValue(all);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            if (parse.GetValue(latest))
            {
                ContainerTargets.Check(targets.Length > 0, everything, latest: true, cidFile: false);
                targets = [LatestContainer.Id(lifecycle.Store)];
            }
            else
            {
                ContainerServices.RequireAllOrNames(everything, targets);
            }

            if (everything)
            {
                // As podman's init --all: the containers already initialized or running are left as they are.
                return ContainerServices.ForEach(context, lifecycle.Store.ListIds().Where(id => lifecycle.Observe(id) is { Running: false, Initialized: false }), id =>
                {
                    lifecycle.Init(id);
                    context.Out.WriteLine(id);
                });
            }

            return ContainerServices.ForEachContainer(context, lifecycle.Store, targets, (target, id) =>
            {
                lifecycle.Init(id);
                context.Out.WriteLine(target);
            });
        });
        return command;
    }
}

using System.CommandLine;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff update [--memory …] [--cpus …] … CONTAINER...</c>: changes cgroup limits, live for running containers.</summary>
public static class UpdateCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var resources = new ResourceOptions();
        var blockIo = new BlockIoDeviceFlags();
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var command = new Command("update", "Update the cgroup limits of one or more containers") { containers };
        resources.AddTo(command, create: false);
        blockIo.AddTo(command);
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            var cgroups = ContainerCgroups.ForHost(context.User.Rootless);
            CgroupResources changes = cgroups.Supported(resources.Parse(parse) with { BlockIoLimits = blockIo.Limits(parse, keepZeros: true) }, context.Error.WriteLine);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            var updater = new ContainerUpdater(lifecycle, cgroups);
            return ContainerServices.ForEachContainer(context, lifecycle.Store, parse.GetValue(containers)!, (target, id) =>
            {
                updater.Update(id, changes);
                context.Out.WriteLine(target);
            });
        });
        return command;
    }
}

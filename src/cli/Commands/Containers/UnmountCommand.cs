using System.CommandLine;
using Skiff.Cli.Commands.Images;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// <c>skiff unmount|umount [-a] [-f] CONTAINER...</c> (podman's <c>umount</c>): counts one user mount of each container's
/// root less (all of them with -f) and unmounts it once nothing holds it; a running container keeps its root.
/// </summary>
public static class UnmountCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Unmount all of the currently mounted containers" };
        var force = new Option<bool>("--force", "-f") { Description = "Force the complete unmount of the specified mounted containers" };
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.ZeroOrMore, Description = "Container names or IDs" };
        var latest = LatestContainer.CreateOption();
        var command = new Command("unmount", "Unmount working container's root filesystem") { all, force, latest, containers };
        command.Aliases.Add("umount");
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            ImageMountCommand.RequireMountNamespace(context, "unmount");
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

            var mounts = new ContainerMounts(lifecycle.Store);
            bool forced = parse.GetValue(force) || everything;
            if (everything)
            {
                // podman's umount --all: every container the user mounted, printed by id.
                targets = [.. lifecycle.Store.ListIds().Where(id => mounts.Count(id) > 0)];
            }

            return ContainerServices.ForEachContainer(context, lifecycle.Store, targets, (target, id) =>
            {
                lifecycle.Observe(id);
                using (lifecycle.Store.Lock(id))
                {
                    ContainerConfig config = lifecycle.Store.ReadConfig(id);
                    if (mounts.Unmount(config, forced, MountCommand.MountedByMonitor(lifecycle.Store.ReadState(id))))
                    {
                        lifecycle.Store.RecordEvent(config, "unmount");
                    }
                }

                context.Out.WriteLine(target);
            });
        });
        return command;
    }
}

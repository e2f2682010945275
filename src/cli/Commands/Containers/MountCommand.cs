using System.CommandLine;
using Skiff.Cli.Commands.Images;
using Skiff.Cli.Output;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Mounts;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// <c>skiff mount [--format json] [--no-trunc] [CONTAINER...]</c> (podman's <c>mount</c>): mounts each container's root
/// and prints its path; with no container, lists the mounted ones. The mount is counted with the container's own
/// (<see cref="ContainerMounts"/>). Rootless, only inside <c>skiff unshare</c>, whose mount namespace is the store's.
/// </summary>
public static class MountCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var format = new Option<string?>("--format") { Description = "Print the mounted containers as json" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Do not truncate output" };
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.ZeroOrMore, Description = "Container names or IDs" };
        var latest = LatestContainer.CreateOption();
        var command = new Command("mount", "Mount a working container's root filesystem") { format, noTrunc, latest, containers };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            ImageMountCommand.RequireMountNamespace(context, "mount");
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            var mounts = new ContainerMounts(lifecycle.Store);
            string[] targets = parse.GetValue(containers) ?? [];
            if (parse.GetValue(latest))
            {
                targets = targets.Length == 0 ? [LatestContainer.Id(lifecycle.Store)] : throw Core.Errors.SkiffException.InvalidArgument(LatestContainer.WithNames);
            }

            if (targets.Length == 0)
            {
                List(context, lifecycle, mounts, parse.GetValue(format), parse.GetValue(noTrunc));
                return ExitCodes.Success;
            }

            return ContainerServices.ForEachContainer(context, lifecycle.Store, targets, (target, id) =>
            {
                lifecycle.Observe(id);
                string path;
                using (lifecycle.Store.Lock(id))
                {
                    ContainerConfig config = lifecycle.Store.ReadConfig(id);
                    path = mounts.Mount(config, MountedByMonitor(lifecycle.Store.ReadState(id)));
                    lifecycle.Store.RecordEvent(config, "mount");
                }

                context.Out.WriteLine(path);
            });
        });
        return command;
    }

    /// <summary>The container's monitor has its root mounted: it runs, or is initialized, and the monitor lives.</summary>
    internal static bool MountedByMonitor(ContainerState state) => (state.Running || state.Initialized) && StateObserver.MonitorAlive(state);

    private static void List(CliContext context, ContainerLifecycle lifecycle, ContainerMounts mounts, string? format, bool noTrunc)
    {
        var mounted = new List<(ContainerConfig Config, string Path)>();
        foreach (string id in lifecycle.Store.ListIds())
        {
            ContainerConfig config = lifecycle.Store.ReadConfig(id);
            string path = lifecycle.Store.RootfsMountPoint(id);
            if (config.RootfsPath is null
                && (mounts.Count(id) > 0 || (MountedByMonitor(lifecycle.Store.ReadState(id)) && MountTable.IsMountPoint(path))))
            {
                mounted.Add((config, path));
            }
        }

        if (format == "json")
        {
            var rows = mounted.Select(m => (object?)new TemplateObject("mount.jsonMountPoint", 3)
            {
                ["id"] = m.Config.Id,
                ["Names"] = new List<object?> { m.Config.Name },
                ["mountpoint"] = m.Path,
            }).ToList();
            context.Out.WriteLine(JsonOutput.Serialize(rows, indented: true, indentSize: 1));
            return;
        }

        foreach ((ContainerConfig config, string path) in mounted)
        {
            context.Out.WriteLine($"{(noTrunc ? config.Id : config.Id[..12])}  {path}");
        }
    }
}

using System.CommandLine;
using Skiff.Cli.Commands.Containers;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Volumes;

namespace Skiff.Cli.Commands.Volumes;

/// <summary>
/// <c>skiff volume rm [-f] [-a] NAME...</c>. As podman: an unknown volume exits 1, a volume that a
/// container uses is refused with exit 2, and -f removes those containers first.
/// </summary>
public static class VolumeRmCommand
{
    /// <summary>podman's exit status for "volume is being used".</summary>
    public const int InUseExitCode = 2;

    public static Command Create(GlobalOptions globals)
    {
        var names = new Argument<string[]>("volume") { Arity = ArgumentArity.ZeroOrMore, Description = "Volumes to remove" };
        var force = new Option<bool>("--force", "-f") { Description = "Remove the containers that use the volume, then the volume" };
        var all = new Option<bool>("--all", "-a") { Description = "Remove all volumes" };
        var command = new Command("rm", "Remove one or more volumes") { names, force, all };
        command.Aliases.Add("remove");
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            VolumeStore volumes = ContainerServices.Volumes(context);
            string[] targets = parse.GetValue(all) ? volumes.List().Select(v => v.Name).ToArray() : parse.GetValue(names) ?? [];
            if (targets.Length == 0 && !parse.GetValue(all))
            {
                throw SkiffException.InvalidArgument("choose either one or more volumes or all");
            }

            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            var users = new VolumeUsers(lifecycle.Store);
            int exit = ExitCodes.Success;
            using (volumes.Lock())
            {
                foreach (string target in targets)
                {
                    try
                    {
                        VolumeRecord record = volumes.Get(target);
                        IReadOnlyList<string> containers = users.Of(record.Name);
                        if (containers.Count > 0 && !parse.GetValue(force))
                        {
                            context.Error.WriteLine($"Error: volume {record.Name} is being used by the following container(s): {string.Join(", ", containers)}: volume is being used");
                            exit = InUseExitCode;
                            continue;
                        }

                        foreach (string id in containers)
                        {
                            lifecycle.Remove(id, force: true);
                        }

                        volumes.Remove(record.Name);
                        context.Out.WriteLine(record.Name);
                    }
                    catch (SkiffException e)
                    {
                        context.Error.WriteLine($"Error: {e.Message}");
                        exit = exit == InUseExitCode ? exit : e.Kind == ErrorKind.NotFound ? 1 : ExitCodes.EngineError;
                    }
                }
            }

            return exit;
        });
        return command;
    }
}

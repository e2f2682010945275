using System.CommandLine;
using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Commands.Images;
using Skiff.Cli.Commands.Networks;
using Skiff.Cli.Commands.Volumes;
using Skiff.Cli.Output;
using Skiff.Core.Errors;

namespace Skiff.Cli.Commands.System;

/// <summary>
/// <c>skiff system prune [-a] [-f] [--volumes] [--filter until=…|label=…]</c>: podman's prune of everything unused, in
/// its order (stopped containers, unused networks, with --volumes unused volumes, dangling images or with -a every
/// image no container uses), through the same code as each kind's own prune. Asks first unless -f; with no answer
/// (stdin at its end) fails with podman's <c>Error: EOF</c>. Rootless it runs inside skiff's user namespace, where the
/// layers and writable layers it removes can be read and removed.
/// </summary>
public static class SystemPruneCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Remove all unused images, not just dangling ones" };
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var volumes = new Option<bool>("--volumes") { Description = "Prune volumes too" };
        var filter = new Option<string[]>("--filter") { Description = "Provide filter values (until=TIME, label=KEY[=VALUE])" };
        var command = new Command("prune", "Remove unused data: stopped containers, unused networks, dangling images (and with --volumes unused volumes)") { all, force, volumes, filter };
        command.SetAction(async parse =>
        {
            CliContext context = globals.Resolve(parse);
            string[] filters = parse.GetValue(filter) ?? [];
            foreach (string f in filters)
            {
                if (f.Split('=', 2) is not [("until" or "label"), _])
                {
                    throw SkiffException.InvalidArgument($"invalid filter \"{f}\"", "system prune takes until=TIME and label=KEY[=VALUE]");
                }
            }

            DateTimeOffset now = DateTimeOffset.UtcNow;
            ImageFilter imageFilter = ImageFilter.Parse(filters, now);
            NetworkFilter networkFilter = NetworkFilter.Parse(filters, now);
            VolumeFilter volumeFilter = VolumeFilter.Parse(filters, now);
            if (ContainerSizes.NeedUserNamespace(context))
            {
                return await UserNamespaceEntry.RunAsync(context.User, UserNamespaceEntry.CurrentArguments());
            }

            bool pruneAll = parse.GetValue(all);
            bool pruneVolumes = parse.GetValue(volumes);
            if (!parse.GetValue(force))
            {
                context.Out.Write(Warning(pruneAll, pruneVolumes));
                context.Out.Flush();
                string answer = Console.In.ReadLine() ?? throw SkiffException.InvalidArgument("EOF", "answer y to continue, or pass -f");
                if (answer.Trim().ToLowerInvariant() is not ("y" or "yes"))
                {
                    return ExitCodes.Success;
                }
            }

            long reclaimed = 0;
            var containers = new Heading(context.Out, "Deleted Containers");
            int exit = ContainerPruneCommand.Prune(context, filters, (id, size) =>
            {
                containers.Print(id);
                reclaimed += size;
            });
            var networks = new Heading(context.Out, "Deleted Networks");
            NetworkPruneCommand.Prune(context, networkFilter, networks.Print);
            if (pruneVolumes)
            {
                var deletedVolumes = new Heading(context.Out, "Deleted Volumes");
                exit = Math.Max(exit, VolumePruneCommand.Prune(context, volumeFilter, (name, size) =>
                {
                    deletedVolumes.Print(name);
                    reclaimed += size;
                }));
            }

            (IReadOnlyList<string> deletedImages, long freed) = ImagePruneCommand.Prune(context, pruneAll, imageFilter);
            var images = new Heading(context.Out, "Deleted Images");
            foreach (string id in deletedImages)
            {
                images.Print(id["sha256:".Length..]);
            }

            reclaimed += freed;
            context.Out.WriteLine($"Total reclaimed space: {Humanize.Size(reclaimed, 4)}");
            return exit;
        });
        return command;
    }

    /// <summary>podman 4.3's question, word for word (the build cache lines included: scripts match on them).</summary>
    public static string Warning(bool all, bool volumes) =>
        "WARNING! This command removes:\n"
        + "\t- all stopped containers\n"
        + "\t- all networks not used by at least one container\n"
        + (volumes ? "\t- all volumes not used by at least one container\n" : string.Empty)
        + (all ? "\t- all images without at least one container associated with them\n" : "\t- all dangling images\n")
        + (all ? "\t- all build cache\n" : "\t- all dangling build cache\n")
        + "\nAre you sure you want to continue? [y/N] ";

    /// <summary>A section of the report, its title printed before its first item only (podman prints nothing for an empty one).</summary>
    private sealed class Heading(TextWriter writer, string title)
    {
        private bool printed;

        public void Print(string item)
        {
            if (!printed)
            {
                writer.WriteLine(title);
                printed = true;
            }

            writer.WriteLine(item);
        }
    }
}

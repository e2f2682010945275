using System.CommandLine;
using Skiff.Cli.Flags;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// <c>skiff container prune [-f] [--filter until=…|label=…|label!=…]</c>: removes every container that is
/// not running and prints its id, asking first unless -f (podman's prompt). Volumes stay.
/// </summary>
public static class ContainerPruneCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var filter = new Option<string[]>("--filter") { Description = "Provide filter values (until=TIME, label=KEY[=VALUE], label!=KEY[=VALUE])" };
        var command = new Command("prune", "Remove all non running containers") { force, filter };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            string[] filters = parse.GetValue(filter) ?? [];
            CheckFilters(filters);
            if (!parse.GetValue(force))
            {
                context.Out.WriteLine("WARNING! This will remove all non running containers.");
                context.Out.Write("Are you sure you want to continue? [y/N] ");
                context.Out.Flush();
                if (Console.In.ReadLine()?.Trim().ToLowerInvariant() is not ("y" or "yes"))
                {
                    return ExitCodes.Success;
                }
            }

            return Prune(context, filters, (id, _) => context.Out.WriteLine(id));
        });
        return command;
    }

    /// <summary>Up front: a bad filter is refused before anything is asked or removed.</summary>
    internal static void CheckFilters(IEnumerable<string> filters)
    {
        foreach (string f in filters)
        {
            if (f.Split('=', 2) is not [("until" or "label" or "label!"), _])
            {
                throw SkiffException.InvalidArgument($"invalid filter \"{f}\"", "use until=TIME, label=KEY[=VALUE] or label!=KEY[=VALUE]");
            }
        }
    }

    /// <summary>
    /// Removes every container that does not run and matches <paramref name="filters"/> (checked by
    /// <see cref="CheckFilters"/>), calling <paramref name="removed"/> with each id and the bytes its writable layer held.
    /// Returns the exit code: non-zero when one could not be removed (reported).
    /// </summary>
    internal static int Prune(CliContext context, IReadOnlyList<string> filters, Action<string, long> removed)
    {
        // Read after the question, as podman does: answered no, a bad value is never looked at.
        string[] untils = filters.Where(f => f.StartsWith("until=", StringComparison.Ordinal)).ToArray();
        string[] labels = filters.Except(untils).ToArray();
        DateTimeOffset? until = UntilFilter.ParseOne(untils.Select(u => u["until=".Length..]).ToList(), DateTimeOffset.UtcNow);
        ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
        var doomed = new List<string>();
        foreach (string id in lifecycle.Store.ListIds())
        {
            try
            {
                ContainerConfig config = lifecycle.Store.ReadConfig(id);
                if (!lifecycle.Observe(id).Running && (until is not DateTimeOffset cutoff || config.Created < cutoff) && labels.All(f => Matches(f, config)))
                {
                    doomed.Add(id);
                }
            }
            catch (SkiffException)
            {
                // Removed meanwhile.
            }
        }

        return ContainerServices.ForEach(context, doomed, id =>
        {
            long size = WritableBytes(lifecycle.Store, id);
            lifecycle.Remove(id, force: false);
            removed(id, size);
        });
    }

    /// <summary>What the container wrote, for the reclaimed total; 0 when it cannot be read (rootless outside the user namespace).</summary>
    private static long WritableBytes(ContainerStore store, string id)
    {
        try
        {
            return Skiff.Images.Snapshots.SnapshotUsage.WritableBytes(store.SnapshotDirectory(id));
        }
        catch (SkiffException)
        {
            return 0;
        }
    }

    private static bool Matches(string filter, ContainerConfig config)
    {
        string[] parts = filter.Split('=', 2);
        return parts[0] switch
        {
            "label" => LabelFilter.Matches(config.Labels, parts[1]),
            _ => !LabelFilter.Matches(config.Labels, parts[1]),
        };
    }
}

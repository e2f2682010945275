using System.CommandLine;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// podman's ways to choose the containers of a multi-container verb besides naming them (stop, kill, rm, restart,
/// pause, unpause): <c>--latest</c>, <c>--cidfile FILE</c> (repeatable) and <c>--filter KEY=VALUE</c> (ps's keys),
/// next to the verb's own <c>--all</c>. podman's checks and their order: a filter takes no names and wins over
/// the rest; then <c>-l</c> with names, <c>--cidfile</c> with <c>--all</c> or <c>-l</c>, <c>--all</c> with <c>-l</c>,
/// <c>--cidfile</c> with names, <c>--all</c> with names, and nothing at all are errors.
/// </summary>
public sealed class ContainerTargets
{
    private readonly Option<bool> latest = LatestContainer.CreateOption();
    private readonly Option<string[]> cidFiles = new("--cidfile") { Description = "Read the container ID from the file" };
    private readonly Option<string[]>? filters;

    /// <param name="filterAlias">Whether <c>-f</c> means <c>--filter</c> (not on rm, where it is <c>--force</c>).</param>
    public ContainerTargets(bool filter = true, bool filterAlias = true)
    {
        if (filter)
        {
            filters = filterAlias ? new Option<string[]>("--filter", "-f") : new Option<string[]>("--filter");
            filters.Description = "Filter output based on conditions given";
        }
    }

    public void AddTo(Command command)
    {
        command.Options.Add(latest);
        command.Options.Add(cidFiles);
        if (filters is not null)
        {
            command.Options.Add(filters);
        }
    }

    /// <summary>
    /// The names or ids to act on: with a filter the full ids of every container it matches, with <c>-l</c> the
    /// latest container's id, with <c>--cidfile</c> the ids the files hold, with <paramref name="all"/> the ids
    /// of every container <paramref name="selectedByAll"/> takes, else <paramref name="names"/>.
    /// </summary>
    /// <param name="ignoreMissingFiles">A <c>--cidfile</c> that does not exist is skipped (podman's <c>rm --ignore</c>).</param>
    /// <param name="allWithNames">podman's words for <c>--all</c> with names, which differ between its verbs.</param>
    /// <exception cref="SkiffException">InvalidArgument: a bad combination, filter or file.</exception>
    public IReadOnlyList<string> Select(
        ParseResult parse, CliContext context, ContainerLifecycle lifecycle, bool all, IReadOnlyList<string> names,
        Func<ContainerState, bool> selectedByAll, bool ignoreMissingFiles = false, string allWithNames = KillCommand.AllWithNames)
    {
        string[] files = parse.GetValue(cidFiles) ?? [];
        List<string> fromFiles = files.Select(f => ReadIdFile(f, ignoreMissingFiles)).OfType<string>().ToList();
        string[] filterValues = filters is null ? [] : parse.GetValue(filters) ?? [];
        bool last = parse.GetValue(latest);
        if (filterValues.Length > 0)
        {
            var filter = new ContainerFilter(filterValues, new(() => Images.ImageServices.Local(context)), lifecycle.Store);
            if (names.Count > 0)
            {
                throw SkiffException.InvalidArgument("--filter takes no arguments", "name the containers, or filter them, not both");
            }

            return Matching(lifecycle, filter);
        }

        Check(names.Count > 0, all, last, files.Length > 0, allWithNames);
        if (all)
        {
            return lifecycle.Store.ListIds().Where(id => selectedByAll(lifecycle.Observe(id))).ToList();
        }

        return last ? [LatestContainer.Id(lifecycle.Store)] : files.Length > 0 ? fromFiles : names;
    }

    /// <summary>podman's checks of names, <c>--all</c>, <c>--latest</c> and <c>--cidfile</c> together (no filter given).</summary>
    /// <exception cref="SkiffException">InvalidArgument, with podman's words.</exception>
    public static void Check(bool names, bool all, bool latest, bool cidFile, string allWithNames = KillCommand.AllWithNames)
    {
        string? conflict = (names, all, latest, cidFile) switch
        {
            (true, _, true, _) => LatestContainer.WithNames,
            (_, _, true, true) or (_, true, _, true) => "--all, --latest, and --cidfile cannot be used together",
            (_, true, true, _) => "--all and --latest cannot be used together",
            (true, _, _, true) => "no arguments are needed with --latest or --cidfile",
            (true, true, _, _) => allWithNames,
            (false, false, false, false) => "you must provide at least one name or id",
            _ => null,
        };
        if (conflict is not null)
        {
            throw SkiffException.InvalidArgument(conflict, names || all || latest || cidFile ? null : "name the containers, or give --all, --latest or --cidfile");
        }
    }

    /// <summary>The full ids of the containers <paramref name="filter"/> matches, whatever their state (podman's).</summary>
    public static List<string> Matching(ContainerLifecycle lifecycle, ContainerFilter filter)
    {
        var ids = new List<string>();
        foreach (string id in lifecycle.Store.ListIds())
        {
            try
            {
                if (filter.Matches(lifecycle.Store.ReadConfig(id), lifecycle.Observe(id)))
                {
                    ids.Add(id);
                }
            }
            catch (SkiffException e) when (e.Kind == ErrorKind.NotFound)
            {
                // Removed while we looked.
            }
        }

        return ids;
    }

    /// <summary>The id in a <c>--cidfile</c> (its first line, as podman reads it); null for a missing file when those are ignored.</summary>
    private static string? ReadIdFile(string path, bool ignoreMissing)
    {
        string content;
        try
        {
            content = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException && ignoreMissing)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw SkiffException.InvalidArgument($"reading CIDFile: {IoErrorText.Describe("open", path, e)}", "give --cidfile the file run or create --cidfile wrote");
        }

        return content.Split('\n')[0].Trim();
    }
}

using System.CommandLine;
using Skiff.Cli.Output;
using Skiff.Images.Local;
using Skiff.Images.Store;

namespace Skiff.Cli.Commands.Images;

/// <summary><c>skiff image prune [-a] [-f]</c>: removes dangling images (with -a every image no container uses), asking first unless -f.</summary>
public static class ImagePruneCommand
{
    /// <summary>Younger partial downloads stay for a pull that is tried again to resume from.</summary>
    public static readonly TimeSpan PartialMinAge = TimeSpan.FromHours(1);

    public static Command Create(GlobalOptions globals)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Remove all images not used by containers, not just dangling ones" };
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var filter = new Option<string[]>("--filter") { Description = "Provide filter values (label, before, since, until, dangling, reference)" };
        var command = new Command("prune", "Remove unused images") { all, force, filter };
        command.SetAction(parseResult =>
        {
            CliContext context = globals.Resolve(parseResult);
            bool pruneAll = parseResult.GetValue(all);
            ImageFilter imageFilter = ImageFilter.Parse(parseResult.GetValue(filter) ?? [], DateTimeOffset.UtcNow);
            if (!parseResult.GetValue(force))
            {
                context.Out.WriteLine(pruneAll
                    ? "WARNING! This command removes all images without at least one container associated with them."
                    : "WARNING! This command removes all dangling images.");
                context.Out.Write("Are you sure you want to continue? [y/N] ");
                context.Out.Flush();
                string? answer = Console.In.ReadLine();
                if (answer?.Trim().ToLowerInvariant() is not ("y" or "yes"))
                {
                    return ExitCodes.Success;
                }
            }

            (IReadOnlyList<string> deleted, long freed) = Prune(context, pruneAll, imageFilter);
            foreach (string id in deleted)
            {
                context.Out.WriteLine(id["sha256:".Length..]);
            }

            if (deleted.Count > 0 || freed > 0 || parseResult.GetValue(force))
            {
                context.Error.WriteLine($"Total reclaimed space: {Humanize.Size(freed)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Removes the dangling images (with <paramref name="all"/> every image no container uses) that match
    /// <paramref name="filter"/>, then sweeps what failed or killed imports, loads and pulls left. Returns the
    /// removed images' ids and the bytes freed in all.
    /// </summary>
    internal static (IReadOnlyList<string> DeletedIds, long FreedBytes) Prune(CliContext context, bool all, ImageFilter filter)
    {
        LocalImages local = ImageServices.Local(context);
        IImageUsers users = ImageServices.Users(context);
        IReadOnlyList<ImageRecord> candidates = local.Images.List()
            .Where(i => all || i.Names.Count == 0)
            .Where(i => filter.Matches(i, local.Resolve, () => local.TryConfig(i)))
            .Where(i => i.Names.Count == 0 || i.Names.Any(filter.MatchesName))
            .Where(i => users.ContainersUsing(i.Id).Count == 0)
            .ToList();
        RemovalReport report = new ImageRemover(local, users).Delete(candidates);
        // As rmi's and podman's: an untag per name, then the image's remove (no prune event in podman 4.3).
        ImageEvents.RecordRemoval(context, report.Lines, candidates.SelectMany(i => i.Names.Select(n => (Name: n, i.Id))).DistinctBy(p => p.Name).ToDictionary(p => p.Name, p => p.Id, StringComparer.Ordinal));

        // Also sweep what failed or killed imports, loads and pulls left: blobs and layers no image
        // uses, old partial downloads, scratch files. Skipped while another skiff process works.
        StoreReport swept = ImageServices.StoreChecker(context).Run(new StoreCheckOptions { PartialMinAge = PartialMinAge }, repair: true);
        return (report.DeletedIds, report.FreedBytes + swept.FreedBytes);
    }
}

using System.CommandLine;
using Skiff.Cli.Output;
using Skiff.Core.Digests;
using Skiff.Images.Local;
using Skiff.Images.Store;

namespace Skiff.Cli.Commands.Images;

/// <summary><c>skiff images</c> (and <c>skiff image ls</c>): the local images, one row per name, newest first.</summary>
public static class ImagesCommand
{
    private const string DefaultTable = "table {{.Repository}}\\t{{.Tag}}\\t{{.ID}}\\t{{.CreatedSince}}\\t{{.Size}}";
    private const string DigestsTable = "table {{.Repository}}\\t{{.Tag}}\\t{{.Digest}}\\t{{.ID}}\\t{{.CreatedSince}}\\t{{.Size}}";

    public static Command Create(GlobalOptions globals, string name = "images")
    {
        var image = new Argument<string?>("image") { Arity = ArgumentArity.ZeroOrOne, Description = "Show only images matching REPOSITORY[:TAG]" };
        var all = new Option<bool>("--all", "-a") { Description = "Show all images (default hides intermediate images)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only show image IDs" };
        var digests = new Option<bool>("--digests") { Description = "Show digests" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var filter = new Option<string[]>("--filter", "-f") { Description = "Filter output based on conditions provided (reference, dangling, label, before, since, until)", AllowMultipleArgumentsPerToken = false };
        var format = new Option<string?>("--format") { Description = "Format output using a Go template, 'table TEMPLATE' or 'json'" };
        var noHeading = new Option<bool>("--noheading", "-n") { Description = "Do not print column headings" };
        var sort = new Option<string>("--sort") { Description = "Sort by created, id, repository, size or tag", DefaultValueFactory = _ => "created" };
        var command = new Command(name, "List images in local storage") { image, all, quiet, digests, noTrunc, filter, format, noHeading, sort };
        if (name == "ls")
        {
            command.Aliases.Add("list");
        }

        command.SetAction(parseResult =>
        {
            CliContext context = globals.Resolve(parseResult);
            string sortKey = ImageSort.Check(parseResult.GetValue(sort)!);
            var filters = (parseResult.GetValue(filter) ?? []).ToList();
            if (parseResult.GetValue(image) is { } reference)
            {
                filters.Add("reference=" + reference);
            }

            ImageFilter imageFilter = ImageFilter.Parse(filters, DateTimeOffset.UtcNow);
            bool showDigests = parseResult.GetValue(digests);
            OutputFormat output = OutputFormat.Parse(parseResult.GetValue(format), showDigests ? DigestsTable : DefaultTable, "images");
            LocalImages local = ImageServices.Local(context);
            bool truncate = !parseResult.GetValue(noTrunc);

            IReadOnlyList<ImageRecord> images = local.Images.List()
                .Where(i => imageFilter.Matches(i, local.Resolve, () => local.TryConfig(i)))
                .OrderByDescending(i => i.Created)
                .ThenBy(i => i.Names.FirstOrDefault(), StringComparer.Ordinal)
                .ToList();
            var now = DateTimeOffset.UtcNow;
            var rows = new List<(ImageRecord Image, string? Name)>();
            foreach (ImageRecord record in images)
            {
                if (record.Names.Count == 0)
                {
                    if (imageFilter.MatchesName(null))
                    {
                        rows.Add((record, null));
                    }

                    continue;
                }

                foreach (string n in record.Names.Order(StringComparer.Ordinal).Where(imageFilter.MatchesName))
                {
                    rows.Add((record, n));
                }
            }

            rows = ImageSort.Order(rows, sortKey);
            if (parseResult.GetValue(quiet))
            {
                foreach (string id in rows.Select(r => Digest.Parse(r.Image.Id)).Select(d => truncate ? d.Short : d.Value).Distinct())
                {
                    context.Out.WriteLine(id);
                }

                return ExitCodes.Success;
            }

            if (output.IsJson)
            {
                var selected = rows.Select(r => r.Image).DistinctBy(i => i.Id).Select(i => (object?)ImageRow.Json(i, local)).ToList();
                context.Out.WriteLine(JsonOutput.Serialize(selected, indented: true));
                return ExitCodes.Success;
            }

            TemplateObject header = TableHeader.Build(ImageRow.TypeName, ImageRow.Fields, ImageRow.Titles);
            context.Out.Write(output.Render(rows.Select(r => (object?)ImageRow.Build(r.Image, r.Name, local, now, !truncate)), parseResult.GetValue(noHeading) ? null : header));
            return ExitCodes.Success;
        });
        return command;
    }
}

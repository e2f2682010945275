using System.CommandLine;
using Skiff.Cli.Output;
using Skiff.Images.Local;
using Skiff.Images.Manifests;
using Skiff.Images.Store;

namespace Skiff.Cli.Commands.Images;

/// <summary><c>skiff history IMAGE</c>: the image's build history, newest first, as docker prints it.</summary>
public static class HistoryCommand
{
    private const string DefaultTable = "table {{.ID}}\\t{{.CreatedSince}}\\t{{.CreatedBy}}\\t{{.Size}}\\t{{.Comment}}";
    private const int CreatedByWidth = 45;

    public static Command Create(GlobalOptions globals, string name = "history")
    {
        var image = new Argument<string>("image") { Description = "Image (name or id)" }.RejectingFlags();
        var human = new Option<bool>("--human", "-H") { Description = "Print sizes and dates in human readable format", DefaultValueFactory = _ => true };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only show image IDs" };
        var format = new Option<string?>("--format") { Description = "Format output using a Go template, 'table TEMPLATE' or 'json'" };
        var command = new Command(name, "Show the history of an image") { image, human, noTrunc, quiet, format };
        command.SetAction(parseResult =>
        {
            CliContext context = globals.Resolve(parseResult);
            LocalImages local = ImageServices.Local(context);
            ImageRecord record = local.Resolve(parseResult.GetValue(image)!);
            ImageConfig config = local.Config(record);
            ImageManifest? manifest = null;
            try
            {
                manifest = local.Manifest(record);
            }
            catch (Skiff.Core.Errors.SkiffException)
            {
                // Sizes fall back to 0 when the manifest is gone; the history itself is in the config.
            }

            bool truncate = !parseResult.GetValue(noTrunc);
            var rows = Rows(record, config, manifest, truncate, parseResult.GetValue(human), DateTimeOffset.UtcNow);
            if (parseResult.GetValue(quiet))
            {
                foreach (TemplateObject row in rows)
                {
                    context.Out.WriteLine(row["ID"]);
                }

                return ExitCodes.Success;
            }

            OutputFormat output = OutputFormat.Parse(parseResult.GetValue(format), DefaultTable, "history");
            if (output.IsJson)
            {
                context.Out.WriteLine(JsonOutput.Serialize(rows.Cast<object?>().ToList(), indented: true));
                return ExitCodes.Success;
            }

            TemplateObject header = TableHeader.Build("images.historyReporter", rows.FirstOrDefault()?.FieldNames ?? Fields, new Dictionary<string, string>
            {
                ["ID"] = "IMAGE",
                ["CreatedSince"] = "CREATED",
                ["Created"] = "CREATED",
            });
            context.Out.Write(output.Render(rows, header));
            return ExitCodes.Success;
        });
        return command;
    }

    private static readonly string[] Fields = ["ID", "Created", "CreatedSince", "CreatedAt", "CreatedBy", "Size", "Comment", "Tags"];

    public static List<TemplateObject> Rows(ImageRecord record, ImageConfig config, ImageManifest? manifest, bool truncate, bool human, DateTimeOffset now)
    {
        var rows = new List<TemplateObject>();
        IReadOnlyList<HistoryEntry> history = config.History is { Count: > 0 } h
            ? h
            : config.RootFs.DiffIds.Select(_ => new HistoryEntry()).ToList();
        int layer = 0;
        var sizes = new List<long>();
        foreach (HistoryEntry entry in history)
        {
            bool empty = entry.EmptyLayer == true;
            sizes.Add(empty ? 0 : manifest is not null && layer < manifest.Layers.Count ? manifest.Layers[layer].Size : 0);
            if (!empty)
            {
                layer++;
            }
        }

        for (int i = history.Count - 1; i >= 0; i--)
        {
            HistoryEntry entry = history[i];
            DateTimeOffset created = entry.Created ?? DateTimeOffset.UnixEpoch;
            string createdBy = (entry.CreatedBy ?? string.Empty).Replace('\t', ' ');
            if (truncate && createdBy.Length > CreatedByWidth)
            {
                createdBy = createdBy[..(CreatedByWidth - 1)] + "…";
            }

            string id = i == history.Count - 1 ? (truncate ? ImageInspectView.ShortId(record) : record.Id) : "<missing>";
            rows.Add(new TemplateObject("images.historyReporter")
            {
                ["ID"] = id,
                ["Created"] = human ? Humanize.Ago(created, now) : GoValues.FormatRfc3339Nano(created),
                ["CreatedSince"] = human ? Humanize.Ago(created, now) : GoValues.FormatRfc3339Nano(created),
                ["CreatedAt"] = GoValues.FormatRfc3339Nano(created),
                ["CreatedBy"] = createdBy,
                ["Size"] = human ? Humanize.Size(sizes[i]) : sizes[i].ToString(global::System.Globalization.CultureInfo.InvariantCulture),
                ["Comment"] = entry.Comment ?? string.Empty,
                ["Tags"] = i == history.Count - 1 ? record.Names.Cast<object?>().ToList() : NilValue.List,
            });
        }

        return rows;
    }
}

using System.CommandLine;
using Skiff.Cli.Output;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Images.Local;
using Skiff.Images.Manifests;
using Skiff.Images.Store;
using Skiff.Images.Unpack;

namespace Skiff.Cli.Commands.Images;

/// <summary><c>skiff history IMAGE</c>: the image's build history, newest first, as docker prints it.</summary>
public static class HistoryCommand
{
    private const string DefaultTable = "table {{.ID}}\\t{{.CreatedSince}}\\t{{.CreatedBy}}\\t{{.Size}}\\t{{.Comment}}";
    private const int CreatedByWidth = 45;

    public static Command Create(GlobalOptions globals, string name = "history")
    {
        var image = new Argument<string>("image") { Description = "Image (name or id)" };
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
            IReadOnlyList<long> layerSizes = LayerSizes(context, local, record);
            bool truncate = !parseResult.GetValue(noTrunc);
            var rows = Rows(record, config, layerSizes, truncate, parseResult.GetValue(human), DateTimeOffset.UtcNow);
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

    /// <summary>
    /// Each layer's uncompressed size, as docker's SIZE column shows it: the file content of the unpacked
    /// layer (recorded in the layer store when it was unpacked; the image's SIZE is their sum). A layer not
    /// unpacked is measured by decompressing its blob (tar bytes); a missing blob counts 0.
    /// </summary>
    public static IReadOnlyList<long> LayerSizes(CliContext context, LocalImages local, ImageRecord record)
    {
        LayerStore layers = StorageServices.Layers(context);
        IReadOnlyList<Digest> chainIds = StorageServices.ChainIdsOf(record.DiffIds);
        ImageManifest? manifest = null;
        var sizes = new List<long>();
        for (int i = 0; i < chainIds.Count; i++)
        {
            if (layers.TryGet(chainIds[i]) is { } info)
            {
                sizes.Add(info.Size);
                continue;
            }

            try
            {
                manifest ??= local.Manifest(record);
                using Stream tar = LayerDecompressor.OpenFile(local.Content.BlobPath(manifest.Layers[i].ParsedDigest));
                long total = 0;
                byte[] buffer = new byte[1 << 16];
                int read;
                while ((read = tar.Read(buffer)) > 0)
                {
                    total += read;
                }

                sizes.Add(total);
            }
            catch (Exception e) when (e is SkiffException or IOException or InvalidDataException or ArgumentOutOfRangeException)
            {
                sizes.Add(0);
            }
        }

        return sizes;
    }

    public static List<TemplateObject> Rows(ImageRecord record, ImageConfig config, IReadOnlyList<long> layerSizes, bool truncate, bool human, DateTimeOffset now)
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
            sizes.Add(empty || layer >= layerSizes.Count ? 0 : layerSizes[layer]);
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

using System.CommandLine;
using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Commands.Images;
using Skiff.Cli.Output;
using Skiff.Core.Digests;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.System;

/// <summary>
/// <c>skiff system df [-v] [--format F]</c>: podman's disk usage table (TYPE, TOTAL, ACTIVE, SIZE, RECLAIMABLE for
/// images, containers and local volumes), or with -v one table per kind. Rootless, writable layers and volumes
/// hold files of subordinate ids, so the command measures inside skiff's user namespace.
/// </summary>
public static class SystemDfCommand
{
    private const string ImagesTable = "table {{.Repository}}\\t{{.Tag}}\\t{{.ImageID}}\\t{{.Created}}\\t{{.Size}}\\t{{.SharedSize}}\\t{{.UniqueSize}}\\t{{.Containers}}";
    private const string ContainersTable = "table {{.ContainerID}}\\t{{.Image}}\\t{{.Command}}\\t{{.LocalVolumes}}\\t{{.Size}}\\t{{.Created}}\\t{{.Status}}\\t{{.Names}}";
    private const string VolumesTable = "table {{.VolumeName}}\\t{{.Links}}\\t{{.Size}}";

    public static Command Create(GlobalOptions globals)
    {
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show detailed information on disk usage" };
        var format = new Option<string?>("--format") { Description = "Pretty-print the summary using a Go template, or 'json'" };
        var command = new Command("df", "Show podman-style disk usage of images, containers and volumes") { verbose, format };
        command.SetAction(async parse =>
        {
            CliContext context = globals.Resolve(parse);
            string? text = parse.GetValue(format);
            bool detailed = parse.GetValue(verbose);
            // Parsed before measuring: a bad template fails fast.
            OutputFormat output = OutputFormat.Parse(detailed ? null : text, DiskUsageSummary.DefaultTable, "df");
            if (ContainerSizes.NeedUserNamespace(context))
            {
                return await UserNamespaceEntry.RunAsync(context.User, UserNamespaceEntry.CurrentArguments());
            }

            DiskUsage usage = DiskUsage.Measure(context);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            if (detailed)
            {
                if (text?.Trim() == "json")
                {
                    context.Out.WriteLine(JsonOutput.Serialize(VerboseJson(usage), indented: true));
                }
                else
                {
                    PrintVerbose(context.Out, usage, now);
                }

                return ExitCodes.Success;
            }

            IReadOnlyList<DiskUsageSummary> summary = usage.Summary();
            if (output.IsJson)
            {
                context.Out.WriteLine(JsonOutput.Serialize(summary.Select(s => (object?)s.Json()).ToList(), indented: true));
                return ExitCodes.Success;
            }

            TemplateObject header = TableHeader.Build(DiskUsageSummary.TypeName, DiskUsageSummary.Fields);
            context.Out.Write(output.Render(summary.Select(s => (object?)s.Row()), header, TabWriter.Podman()));
            return ExitCodes.Success;
        });
        return command;
    }

    private static void PrintVerbose(TextWriter writer, DiskUsage usage, DateTimeOffset now)
    {
        writer.WriteLine("Images space usage:");
        writer.WriteLine();
        var imageRows = new List<object?>();
        foreach (DiskUsage.Image image in usage.Images)
        {
            foreach (string? name in image.Record.Names.Count == 0 ? [null] : image.Record.Names.Order(StringComparer.Ordinal).Cast<string?>())
            {
                (string repository, string tag) = name is null ? (ImageNames.None, ImageNames.None) : ImageNames.Split(name);
                imageRows.Add(new TemplateObject("entities.SystemDfImageReport")
                {
                    ["Repository"] = repository,
                    ["Tag"] = tag,
                    ["ImageID"] = Digest.Parse(image.Record.Id).Short,
                    ["Created"] = Humanize.Duration(now - image.Record.Created),
                    ["Size"] = Humanize.Size(image.Size, 4),
                    ["SharedSize"] = Humanize.Size(image.SharedSize, 4),
                    ["UniqueSize"] = Humanize.Size(image.Size - image.SharedSize, 4),
                    ["Containers"] = (long)image.Containers,
                });
            }
        }

        writer.Write(Table(ImagesTable, imageRows, new Dictionary<string, string> { ["ImageID"] = "IMAGE ID" }));
        writer.WriteLine();
        writer.WriteLine("Containers space usage:");
        writer.WriteLine();
        var containerRows = usage.Containers.Select(c => (object?)new TemplateObject("entities.SystemDfContainerReport")
        {
            ["ContainerID"] = ContainerIds.Short(c.Config.Id),
            ["Image"] = ContainerIds.Short(ImageHex(c.Config.ImageId)),
            ["Command"] = ContainerView.Command(c.Config),
            ["LocalVolumes"] = (long)c.LocalVolumes,
            ["Size"] = Humanize.Size(c.Size, 4),
            ["Created"] = Humanize.Duration(now - c.Config.Created),
            ["Status"] = c.State.Status,
            ["Names"] = c.Config.Name,
        }).ToList();
        writer.Write(Table(ContainersTable, containerRows, new Dictionary<string, string> { ["ContainerID"] = "CONTAINER ID" }));
        writer.WriteLine();
        writer.WriteLine("Local Volumes space usage:");
        writer.WriteLine();
        var volumeRows = usage.Volumes.Select(v => (object?)new TemplateObject("entities.SystemDfVolumeReport")
        {
            ["VolumeName"] = v.Record.Name,
            ["Links"] = (long)v.Links,
            ["Size"] = Humanize.Size(v.Size, 4),
        }).ToList();
        writer.Write(Table(VolumesTable, volumeRows, new Dictionary<string, string> { ["VolumeName"] = "VOLUME NAME" }));
    }

    private static string Table(string template, IReadOnlyList<object?> rows, IReadOnlyDictionary<string, string> titles)
    {
        OutputFormat table = OutputFormat.Parse(template, template, "df");
        string[] fields = template["table ".Length..].Split("\\t").Select(f => f.Trim('{', '}', '.')).ToArray();
        return table.Render(rows, TableHeader.Build("df", fields, titles), TabWriter.Podman());
    }

    /// <summary>podman 5's <c>system df -v --format json</c>: the three reports with byte counts.</summary>
    private static TemplateObject VerboseJson(DiskUsage usage) => new("entities.SystemDfReport")
    {
        ["Images"] = usage.Images.Select(i => (object?)new TemplateObject("entities.SystemDfImageReport")
        {
            ["Repository"] = i.Record.Names.Count == 0 ? ImageNames.None : ImageNames.Split(i.Record.Names[0]).Repository,
            ["Tag"] = i.Record.Names.Count == 0 ? ImageNames.None : ImageNames.Split(i.Record.Names[0]).Tag,
            ["ImageID"] = Digest.Parse(i.Record.Id).Hex,
            ["Created"] = i.Record.Created,
            ["Size"] = i.Size,
            ["SharedSize"] = i.SharedSize,
            ["UniqueSize"] = i.Size - i.SharedSize,
            ["Containers"] = (long)i.Containers,
        }).ToList(),
        ["Containers"] = usage.Containers.Select(c => (object?)new TemplateObject("entities.SystemDfContainerReport")
        {
            ["ContainerID"] = c.Config.Id,
            ["Image"] = ImageHex(c.Config.ImageId),
            ["Command"] = c.Config.Args.Cast<object?>().ToList(),
            ["LocalVolumes"] = (long)c.LocalVolumes,
            ["Size"] = c.Size,
            ["RWSize"] = c.Size,
            ["Created"] = c.Config.Created,
            ["Status"] = c.State.Status,
            ["Names"] = c.Config.Name,
        }).ToList(),
        ["Volumes"] = usage.Volumes.Select(v => (object?)new TemplateObject("entities.SystemDfVolumeReport")
        {
            ["VolumeName"] = v.Record.Name,
            ["Links"] = (long)v.Links,
            ["Size"] = v.Size,
            ["ReclaimableSize"] = v.Links == 0 ? v.Size : 0L,
        }).ToList(),
    };

    private static string ImageHex(string? id) =>
        id is not null && id.StartsWith("sha256:", StringComparison.Ordinal) ? id["sha256:".Length..] : id ?? string.Empty;
}

using Skiff.Cli.Output;
using Skiff.Core.Digests;
using Skiff.Images.Local;
using Skiff.Images.Manifests;
using Skiff.Images.Store;

namespace Skiff.Cli.Commands.Images;

/// <summary>
/// One line of <c>skiff images</c> as templates see it: docker's fields (ID, Repository, Tag, Digest,
/// CreatedSince, CreatedAt, Size, …) plus podman's (Names, Labels, Dangling, History, …). The config is
/// read only if a template or filter asks for labels or history.
/// </summary>
public static class ImageRow
{
    public const string TypeName = "images.imageReporter";

    public static readonly string[] Fields =
    [
        "ID", "Id", "Repository", "Tag", "Digest", "Digests", "CreatedSince", "CreatedAt", "Created", "CreatedTime",
        "Size", "VirtualSize", "SharedSize", "UniqueSize", "Containers", "Names", "Labels", "Dangling", "ReadOnly", "History",
    ];

    public static readonly IReadOnlyDictionary<string, string> Titles = new Dictionary<string, string>
    {
        ["ID"] = "IMAGE ID",
        ["Id"] = "IMAGE ID",
        ["CreatedSince"] = "CREATED",
        ["Created"] = "CREATED",
        ["CreatedTime"] = "CREATED",
    };

    public static TemplateObject Build(ImageRecord image, string? name, LocalImages local, DateTimeOffset now, bool noTrunc)
    {
        (string repository, string tag) = name is null ? (ImageNames.None, ImageNames.None) : ImageNames.Split(name);
        Digest id = Digest.Parse(image.Id);
        var config = new Lazy<ImageConfig?>(() => local.TryConfig(image));
        string created = Humanize.Ago(image.Created, now);
        var row = new TemplateObject(TypeName)
        {
            ["ID"] = noTrunc ? id.Value : id.Short,
            ["Id"] = id.Hex,
            ["Repository"] = repository,
            ["Tag"] = tag,
            ["Digest"] = image.ManifestDigest,
            ["Digests"] = image.Digests.Cast<object?>().ToList(),
            ["CreatedSince"] = created,
            ["CreatedAt"] = GoValues.FormatTime(image.Created.ToUniversalTime().AddTicks(-(image.Created.Ticks % TimeSpan.TicksPerSecond))),
            ["Created"] = created,
            ["CreatedTime"] = image.Created,
            ["Size"] = Humanize.Size(image.Size),
            ["VirtualSize"] = Humanize.Size(image.Size),
            ["SharedSize"] = "N/A",
            ["UniqueSize"] = "N/A",
            ["Containers"] = "N/A",
            ["Names"] = image.Names.Cast<object?>().ToList(),
        };
        row.SetLazy("Labels", () => TemplateMap.OfStrings(config.Value?.Config?.Labels));
        row["Dangling"] = image.Names.Count == 0;
        row["ReadOnly"] = false;
        row.SetLazy("History", () => (config.Value?.History ?? []).Select(h => (object?)(h.CreatedBy ?? string.Empty)).ToList());
        return row;
    }

    /// <summary>podman's <c>images --format json</c> object for one image.</summary>
    public static TemplateObject Json(ImageRecord image, LocalImages local)
    {
        ImageConfig? config = local.TryConfig(image);
        return new TemplateObject("entities.ImageSummary")
        {
            ["Id"] = Digest.Parse(image.Id).Hex,
            ["ParentId"] = string.Empty,
            ["RepoTags"] = image.Names.Cast<object?>().ToList(),
            ["RepoDigests"] = image.Digests.Cast<object?>().ToList(),
            ["Size"] = image.Size,
            ["SharedSize"] = 0L,
            ["VirtualSize"] = image.Size,
            ["Labels"] = config?.Config?.Labels is { } labels ? TemplateMap.OfStrings(labels) : NilValue.Map,
            ["Containers"] = 0L,
            ["Names"] = image.Names.Cast<object?>().ToList(),
            ["Digest"] = image.ManifestDigest,
            ["History"] = image.Names.Cast<object?>().ToList(),
            ["Created"] = image.Created.ToUnixTimeSeconds(),
            ["CreatedAt"] = image.Created,
        };
    }
}

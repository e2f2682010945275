using Skiff.Cli.Output;
using Skiff.Core.Digests;
using Skiff.Images.Local;
using Skiff.Images.Manifests;
using Skiff.Images.Store;

namespace Skiff.Cli.Commands.Images;

/// <summary>
/// The docker-shaped <c>image inspect</c> object (with podman's extra fields), built as a field-ordered
/// value so that <c>--format '{{.Config.Env}}'</c> and the JSON output read the same data.
/// </summary>
public static class ImageInspectView
{
    public static TemplateObject Build(ImageRecord image, LocalImages local)
    {
        ImageConfig config = local.Config(image);
        ContainerConfig c = config.Config ?? new ContainerConfig();
        var containerConfig = new TemplateObject("v1.ImageConfig")
        {
            ["User"] = c.User ?? string.Empty,
            ["ExposedPorts"] = Set(c.ExposedPorts?.Keys),
            ["Env"] = List(c.Env),
            ["Entrypoint"] = List(c.Entrypoint),
            ["Cmd"] = List(c.Cmd),
            ["Volumes"] = Set(c.Volumes?.Keys),
            ["WorkingDir"] = c.WorkingDir ?? string.Empty,
            ["Labels"] = c.Labels is null ? NilValue.Map : TemplateMap.OfStrings(c.Labels),
            ["StopSignal"] = c.StopSignal ?? string.Empty,
        };
        var history = (config.History ?? []).Select(h => (object?)new TemplateObject("v1.History")
        {
            ["created"] = h.Created ?? DateTimeOffset.UnixEpoch,
            ["created_by"] = h.CreatedBy ?? string.Empty,
            ["author"] = h.Author ?? string.Empty,
            ["comment"] = h.Comment ?? string.Empty,
            ["empty_layer"] = h.EmptyLayer ?? false,
        }).ToList();

        // podman executes inspect templates on an []interface{}: its errors name the top level "interface {}".
        var view = new TemplateObject("interface {}")
        {
            ["Id"] = image.Id,
            ["Digest"] = image.ManifestDigest,
            ["RepoTags"] = image.Names.Cast<object?>().ToList(),
            ["RepoDigests"] = image.Digests.Cast<object?>().ToList(),
            ["Parent"] = string.Empty,
            ["Comment"] = config.History?.LastOrDefault()?.Comment ?? string.Empty,
            ["Created"] = config.Created ?? image.Created,
            ["Config"] = containerConfig,
            ["Version"] = string.Empty,
            ["Author"] = config.Author ?? string.Empty,
            ["Architecture"] = config.Architecture,
            ["Variant"] = config.Variant ?? string.Empty,
            ["Os"] = config.Os,
            ["Size"] = image.Size,
            ["VirtualSize"] = image.Size,
            ["RootFS"] = new TemplateObject("inspect.RootFS")
            {
                ["Type"] = config.RootFs.Type,
                ["Layers"] = config.RootFs.DiffIds.Cast<object?>().ToList(),
            },
            ["Labels"] = c.Labels is null ? NilValue.Map : TemplateMap.OfStrings(c.Labels),
            ["ManifestType"] = image.ManifestMediaType ?? MediaTypes.OciManifest,
            ["User"] = c.User ?? string.Empty,
            ["History"] = history,
            ["NamesHistory"] = image.Names.Cast<object?>().ToList(),
            ["Metadata"] = new TemplateObject("types.ImageMetadata") { ["LastTagTime"] = image.Stored },
        };
        if (c.Healthcheck is { Test: { } test } health)
        {
            // podman's ImageData.HealthCheck (json "Healthcheck", omitempty): the image config's HEALTHCHECK as it is.
            view["Healthcheck"] = HealthConfigView.Build(test, health.StartPeriod, health.Interval, health.Timeout, health.Retries);
        }

        return view;
    }

    private static object List(IReadOnlyList<string>? values) => values is null ? NilValue.List : values.Cast<object?>().ToList();

    /// <summary>ExposedPorts and Volumes are sets (<c>{"80/tcp": {}}</c>).</summary>
    private static object Set(IEnumerable<string>? keys)
    {
        if (keys is null)
        {
            return NilValue.Map;
        }

        var map = new TemplateMap();
        foreach (string key in keys)
        {
            map[key] = new TemplateObject("struct {}");
        }

        return map;
    }

    /// <summary>The short id docker prints for an image: 12 hex characters.</summary>
    public static string ShortId(ImageRecord image) => Digest.Parse(image.Id).Short;
}

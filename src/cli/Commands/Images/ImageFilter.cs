using Skiff.Cli.Flags;
using Skiff.Core.Errors;
using Skiff.Images.Manifests;
using Skiff.Images.Store;

namespace Skiff.Cli.Commands.Images;

/// <summary>
/// <c>--filter</c> for images, as docker reads it: <c>reference=PATTERN</c> (glob on the name, with or
/// without registry and tag), <c>dangling=true|false</c>, <c>label=KEY[=VALUE]</c>, <c>before=IMAGE</c>,
/// <c>since=IMAGE</c>, and podman's <c>until=TIME</c> (created, by its configuration, before a time or a duration
/// ago). Values of one key are alternatives; different keys must all match.
/// </summary>
public sealed class ImageFilter
{
    private static readonly string[] Keys = ["reference", "dangling", "label", "before", "since", "until"];
    private readonly Dictionary<string, List<string>> values = new(StringComparer.Ordinal);
    private readonly List<DateTimeOffset> untils = [];

    private ImageFilter()
    {
    }

    public bool IsEmpty => values.Count == 0;

    public bool NeedsConfig => values.ContainsKey("label");

    public static ImageFilter Parse(IEnumerable<string> filters, DateTimeOffset now)
    {
        var filter = new ImageFilter();
        foreach (string text in filters)
        {
            int equals = text.IndexOf('=');
            string key = equals < 0 ? text : text[..equals];
            if (equals < 0 || !Keys.Contains(key))
            {
                throw SkiffException.InvalidArgument($"invalid filter \"{text}\"", "filters are reference=NAME, dangling=true|false, label=KEY[=VALUE], before=IMAGE, since=IMAGE, until=TIME");
            }

            string value = text[(equals + 1)..];
            if (key == "until")
            {
                filter.untils.Add(UntilFilter.Parse(value, now));
            }

            if (key == "dangling" && value is not ("true" or "false" or "1" or "0"))
            {
                throw SkiffException.InvalidArgument($"invalid filter \"{text}\": dangling takes true or false");
            }

            if (!filter.values.TryGetValue(key, out List<string>? list))
            {
                filter.values[key] = list = [];
            }

            list.Add(value);
        }

        return filter;
    }

    /// <summary>Whether the image passes the non-reference filters.</summary>
    /// <param name="resolve">Looks up the image named by before=/since=.</param>
    /// <param name="config">The image's config, for label=; read only when that filter is present.</param>
    public bool Matches(ImageRecord image, Func<string, ImageRecord> resolve, Func<ImageConfig?> config)
    {
        if (values.TryGetValue("dangling", out List<string>? dangling)
            && !dangling.Any(d => (d is "true" or "1") == (image.Names.Count == 0)))
        {
            return false;
        }

        if (values.TryGetValue("before", out List<string>? before) && !before.All(b => image.Created < resolve(b).Created))
        {
            return false;
        }

        if (values.TryGetValue("since", out List<string>? since) && !since.All(s => image.Created > resolve(s).Created))
        {
            return false;
        }

        if (untils.Count > 0 && !untils.Any(until => image.Created < until))
        {
            return false;
        }

        if (values.TryGetValue("label", out List<string>? labels))
        {
            IReadOnlyDictionary<string, string> present = config()?.Config?.Labels ?? new Dictionary<string, string>();
            if (!labels.All(label => LabelFilter.Matches(present, label)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether one name of an image passes <c>reference=</c> (always true without that filter).</summary>
    public bool MatchesName(string? name)
    {
        if (!values.TryGetValue("reference", out List<string>? patterns))
        {
            return true;
        }

        if (name is null)
        {
            return false;
        }

        return patterns.Any(pattern => Forms(name).Any(form => Glob.IsMatch(pattern, form)));
    }

    /// <summary>The spellings a user may mean a name by: full, without tag, and without the default registry prefixes.</summary>
    private static IEnumerable<string> Forms(string name)
    {
        (string repository, string tag) = ImageNames.Split(name);
        foreach (string prefix in new[] { string.Empty, "docker.io/library/", "docker.io/", "localhost/" })
        {
            if (prefix.Length > 0 && !repository.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            string shortRepository = repository[prefix.Length..];
            yield return shortRepository;
            yield return $"{shortRepository}:{tag}";
        }
    }
}

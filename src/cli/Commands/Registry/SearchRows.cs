using Skiff.Cli.Output;
using Skiff.Images.References;
using Skiff.Images.Registry.Search;

namespace Skiff.Cli.Commands.Registry;

/// <summary>
/// The rows <c>skiff search</c> prints for one registry's answer, as podman 4.3 makes them: sorted by name
/// (case-insensitively), the limit applied before the filter, the name prefixed with the registry (a Docker Hub
/// name without a slash under <c>library/</c>), the description on one line and cut to 44 characters plus
/// <c>...</c> unless <c>--no-trunc</c>, <c>[OK]</c> for official and automated.
/// </summary>
public static class SearchRows
{
    public const string TypeName = "search.searchReporter";
    public const int DescriptionWidth = 44;

    public static IReadOnlyList<string> Fields { get; } = ["Index", "Name", "Description", "Stars", "Official", "Automated", "Tag"];

    public static IEnumerable<TemplateObject> ForHits(string registry, IEnumerable<SearchHit> hits, int limit, SearchFilter filter, bool truncate) =>
        hits.OrderBy(h => h.Name, StringComparer.OrdinalIgnoreCase)
            .Take(limit)
            .Where(filter.Matches)
            .Select(h => Row(registry, Qualified(registry, h.Name), Describe(h.Description, truncate), h.Stars, h.Official, h.Automated, string.Empty));

    public static IEnumerable<TemplateObject> ForTags(string registry, string repository, IEnumerable<string> tags) =>
        tags.Select(t => Row(registry, Qualified(registry, repository), string.Empty, 0, false, false, t));

    public static string Qualified(string registry, string name) =>
        registry == ImageReference.DockerHub && !name.Contains('/') ? $"{registry}/library/{name}" : $"{registry}/{name}";

    public static string Describe(string description, bool truncate)
    {
        string line = description.Replace('\n', ' ');
        return truncate && line.Length > DescriptionWidth ? line[..DescriptionWidth] + "..." : line;
    }

    private static TemplateObject Row(string registry, string name, string description, int stars, bool official, bool automated, string tag) => new(TypeName, Fields.Count)
    {
        ["Index"] = registry,
        ["Name"] = name,
        ["Description"] = description,
        ["Stars"] = stars,
        ["Official"] = official ? "[OK]" : string.Empty,
        ["Automated"] = automated ? "[OK]" : string.Empty,
        ["Tag"] = tag,
    };
}

using System.Globalization;
using Skiff.Core.Errors;
using Skiff.Images.Registry.Search;

namespace Skiff.Cli.Commands.Registry;

/// <summary>
/// <c>search --filter</c>, podman's: <c>stars=N</c> (at least N stars), <c>is-official[=BOOL]</c>,
/// <c>is-automated[=BOOL]</c>; a bare boolean filter means true; several filters must all match.
/// </summary>
public sealed record SearchFilter(int? MinStars, bool? Official, bool? Automated)
{
    public static SearchFilter None { get; } = new(null, null, null);

    public static SearchFilter Parse(IEnumerable<string> filters)
    {
        SearchFilter result = None;
        foreach (string filter in filters)
        {
            string[] parts = filter.Split('=', 2);
            string? value = parts.Length == 2 ? parts[1] : null;
            result = parts[0] switch
            {
                "stars" => result with { MinStars = Stars(filter, value) },
                "is-official" => result with { Official = Boolean(filter, value) },
                "is-automated" => result with { Automated = Boolean(filter, value) },
                _ => throw SkiffException.InvalidArgument($"invalid filter type \"{filter}\"", "use stars=N, is-official[=true|false] or is-automated[=true|false]"),
            };
        }

        return result;
    }

    public bool Matches(SearchHit hit) =>
        (MinStars is not int stars || hit.Stars >= stars)
        && (Official is not bool official || hit.Official == official)
        && (Automated is not bool automated || hit.Automated == automated);

    private static int Stars(string filter, string? value) =>
        value is not null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int stars)
            ? stars
            : throw SkiffException.InvalidArgument($"incorrect value type for stars filter: \"{filter}\"", "give stars a whole number, e.g. stars=3");

    private static bool Boolean(string filter, string? value) => value switch
    {
        null => true,
        _ when bool.TryParse(value, out bool b) => b,
        "1" or "t" or "T" => true,
        "0" or "f" or "F" => false,
        _ => throw SkiffException.InvalidArgument($"invalid filter value \"{filter}\": not a boolean", "use true or false"),
    };
}

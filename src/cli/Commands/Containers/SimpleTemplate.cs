using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// The part of Go's text/template that container commands need until the shared Output engine lands:
/// <c>{{.Field}}</c>, <c>{{.A.B}}</c>, <c>{{json .X}}</c>, <c>{{json .}}</c>, a leading <c>table</c>, and <c>\t</c>/<c>\n</c>.
/// Fields are looked up case-sensitively first, then ignoring case.
/// </summary>
public static class SimpleTemplate
{
    public static bool IsTable(string template) => template.StartsWith("table", StringComparison.Ordinal);

    public static string Body(string template) =>
        (IsTable(template) ? template[5..].TrimStart() : template).Replace("\\t", "\t", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal);

    /// <summary>A header row for a table template: each action replaced by its field name in upper case.</summary>
    public static string Header(string body)
    {
        var result = new StringBuilder();
        foreach ((string text, string? action) in Split(body))
        {
            if (action is null)
            {
                result.Append(text);
                continue;
            }

            string field = action.Replace("json", string.Empty, StringComparison.Ordinal).Trim().TrimStart('.');
            result.Append(field.Length == 0 ? "JSON" : Headings.GetValueOrDefault(field, field.ToUpperInvariant()));
        }

        return result.ToString();
    }

    /// <param name="times">Paths (<c>State.StartedAt</c>) whose RFC 3339 strings are times: printed plainly, they read as Go's time.Time does.</param>
    public static string Render(string body, JsonNode? data, IReadOnlyList<string>? times = null)
    {
        var result = new StringBuilder();
        foreach ((string text, string? action) in Split(body))
        {
            if (action is null)
            {
                result.Append(text);
                continue;
            }

            bool json = action.StartsWith("json ", StringComparison.Ordinal);
            string path = (json ? action[5..] : action).Trim();
            if (!path.StartsWith('.'))
            {
                throw Core.Errors.SkiffException.InvalidArgument($"template: unsupported action {{{{{action}}}}}", "use {{.Field}} or {{json .Field}}");
            }

            JsonNode? value = Navigate(data, path);
            if (!json && times is not null && IsTime(path, value, times, out DateTimeOffset time))
            {
                result.Append(Output.GoValues.FormatTime(time));
                continue;
            }

            result.Append(json ? (value?.ToJsonString() ?? "null") : Plain(value));
        }

        return result.ToString();
    }

    private static readonly Dictionary<string, string> Headings = new(StringComparer.Ordinal)
    {
        ["ID"] = "CONTAINER ID",
        ["RunningFor"] = "CREATED",
        ["CreatedAt"] = "CREATED AT",
        ["Names"] = "NAMES",
    };

    private static JsonNode? Navigate(JsonNode? data, string path)
    {
        JsonNode? current = data;
        foreach (string part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (current is not JsonObject obj)
            {
                return null;
            }

            current = obj.TryGetPropertyValue(part, out JsonNode? exact)
                ? exact
                : obj.FirstOrDefault(kv => string.Equals(kv.Key, part, StringComparison.OrdinalIgnoreCase)).Value;
        }

        return current;
    }

    private static bool IsTime(string path, JsonNode? value, IReadOnlyList<string> times, out DateTimeOffset time)
    {
        time = default;
        string field = path.TrimStart('.');
        return times.Contains(field, StringComparer.OrdinalIgnoreCase)
            && value is JsonValue v && v.GetValueKind() == JsonValueKind.String
            && DateTimeOffset.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out time);
    }

    private static string Plain(JsonNode? value) => value switch
    {
        null => "<no value>",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonArray array => "[" + string.Join(' ', array.Select(Plain)) + "]",
        JsonObject obj => "map[" + string.Join(' ', obj.Select(kv => $"{kv.Key}:{Plain(kv.Value)}")) + "]",
        _ => value.ToJsonString(),
    };

    private static IEnumerable<(string Text, string? Action)> Split(string body)
    {
        int position = 0;
        while (position < body.Length)
        {
            int open = body.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                yield return (body[position..], null);
                yield break;
            }

            int close = body.IndexOf("}}", open, StringComparison.Ordinal);
            if (close < 0)
            {
                throw Core.Errors.SkiffException.InvalidArgument("template: unclosed action");
            }

            if (open > position)
            {
                yield return (body[position..open], null);
            }

            yield return (string.Empty, body[(open + 2)..close].Trim());
            position = close + 2;
        }
    }
}

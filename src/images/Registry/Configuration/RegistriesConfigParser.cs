using Skiff.Core.Errors;
using Skiff.Images.References;
using Tomlyn;
using Tomlyn.Model;

namespace Skiff.Images.Registry.Configuration;

/// <summary>
/// Reads one registries.conf (or shortnames.conf) file and merges it over what earlier files said.
/// Both the v2 format (<c>unqualified-search-registries</c>, <c>[[registry]]</c>, <c>[aliases]</c>) and the
/// old v1 tables (<c>[registries.search]</c>, <c>[registries.insecure]</c>, <c>[registries.block]</c>) are understood.
/// </summary>
public static class RegistriesConfigParser
{
    public static RegistriesConfig Parse(string toml, string source, RegistriesConfig? over = null)
    {
        over ??= RegistriesConfig.Default;
        TomlTable table;
        try
        {
            table = TomlSerializer.Deserialize(toml, RegistriesTomlContext.Default.TomlTable)
                ?? throw new TomlException("empty document");
        }
        catch (TomlException e)
        {
            throw Invalid(source, e.Message);
        }

        IReadOnlyList<string> search = over.UnqualifiedSearchRegistries;
        var registries = over.Registries.ToList();
        var aliases = new Dictionary<string, string>(over.Aliases);

        if (table.TryGetValue("unqualified-search-registries", out object? searchValue))
        {
            search = Strings(searchValue, "unqualified-search-registries", source);
        }

        if (table.TryGetValue("registry", out object? registryValue))
        {
            if (registryValue is not TomlTableArray entries)
            {
                throw Invalid(source, "\"registry\" must be an array of tables ([[registry]])");
            }

            foreach (TomlTable entry in entries)
            {
                RegistryEntry parsed = ParseEntry(entry, source);
                registries.RemoveAll(r => r.Prefix == parsed.Prefix);
                registries.Add(parsed);
            }
        }

        if (table.TryGetValue("registries", out object? v1Value) && v1Value is TomlTable v1)
        {
            search = V1List(v1, "search", source) ?? search;
            foreach (string host in V1List(v1, "insecure", source) ?? [])
            {
                registries.RemoveAll(r => r.Prefix == host);
                registries.Add(new RegistryEntry { Prefix = host, Location = host, Insecure = true });
            }

            foreach (string host in V1List(v1, "block", source) ?? [])
            {
                registries.RemoveAll(r => r.Prefix == host);
                registries.Add(new RegistryEntry { Prefix = host, Location = host, Blocked = true });
            }
        }

        if (table.TryGetValue("aliases", out object? aliasValue))
        {
            if (aliasValue is not TomlTable aliasTable)
            {
                throw Invalid(source, "\"aliases\" must be a table");
            }

            foreach (KeyValuePair<string, object> alias in aliasTable)
            {
                if (alias.Value is not string target || !ImageReference.TryParse(target, out ImageReference? reference, out _) || reference.IsShortName)
                {
                    throw Invalid(source, $"alias \"{alias.Key}\" must name a fully qualified image (registry/repository)");
                }

                aliases[alias.Key] = target;
            }
        }

        return new RegistriesConfig { UnqualifiedSearchRegistries = search, Registries = registries, Aliases = aliases };
    }

    private static RegistryEntry ParseEntry(TomlTable entry, string source)
    {
        string? prefix = OptionalString(entry, "prefix", source);
        string? location = OptionalString(entry, "location", source);
        if (string.IsNullOrEmpty(prefix) && string.IsNullOrEmpty(location))
        {
            throw Invalid(source, "a [[registry]] needs a prefix or a location");
        }

        prefix = string.IsNullOrEmpty(prefix) ? location! : prefix;
        location = string.IsNullOrEmpty(location) ? prefix : location;
        var mirrors = new List<RegistryMirror>();
        if (entry.TryGetValue("mirror", out object? mirrorValue))
        {
            if (mirrorValue is not TomlTableArray mirrorTables)
            {
                throw Invalid(source, "\"mirror\" must be an array of tables ([[registry.mirror]])");
            }

            foreach (TomlTable mirror in mirrorTables)
            {
                string mirrorLocation = OptionalString(mirror, "location", source)
                    ?? throw Invalid(source, $"a mirror of \"{prefix}\" has no location");
                mirrors.Add(new RegistryMirror(mirrorLocation, OptionalBool(mirror, "insecure", source)));
            }
        }

        return new RegistryEntry
        {
            Prefix = prefix.TrimEnd('/'),
            Location = location.TrimEnd('/'),
            Insecure = OptionalBool(entry, "insecure", source),
            Blocked = OptionalBool(entry, "blocked", source),
            Mirrors = mirrors,
        };
    }

    private static IReadOnlyList<string>? V1List(TomlTable v1, string key, string source) =>
        v1.TryGetValue(key, out object? value) && value is TomlTable inner && inner.TryGetValue("registries", out object? list)
            ? Strings(list, $"registries.{key}.registries", source)
            : null;

    private static IReadOnlyList<string> Strings(object value, string key, string source)
    {
        if (value is not TomlArray array || array.Any(item => item is not string))
        {
            throw Invalid(source, $"\"{key}\" must be an array of strings");
        }

        return array.Cast<string>().ToList();
    }

    private static string? OptionalString(TomlTable table, string key, string source) =>
        !table.TryGetValue(key, out object? value) ? null
        : value as string ?? throw Invalid(source, $"\"{key}\" must be a string");

    private static bool OptionalBool(TomlTable table, string key, string source) =>
        table.TryGetValue(key, out object? value) && (value as bool? ?? throw Invalid(source, $"\"{key}\" must be true or false"));

    private static SkiffException Invalid(string source, string problem) =>
        SkiffException.InvalidArgument($"invalid registries configuration {source}: {problem}", $"fix or remove {source}");
}

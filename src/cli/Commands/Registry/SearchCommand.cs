using System.CommandLine;
using Skiff.Cli.Output;
using Skiff.Core.Errors;
using Skiff.Images.References;
using Skiff.Images.Registry;
using Skiff.Images.Registry.Search;

namespace Skiff.Cli.Commands.Registry;

/// <summary>
/// <c>skiff search [--limit N] [--filter F] [--format …] [--no-trunc] [--compatible] [--list-tags] TERM</c>, as
/// podman search: <c>REGISTRY/TERM</c> searches that registry (<c>REGISTRY/</c> lists its catalog), a bare TERM
/// every unqualified-search registry of registries.conf. A registry that fails is an error only when no registry
/// answered; otherwise a warning.
/// </summary>
public static class SearchCommand
{
    private const string DefaultTable = "table {{.Name}}\\t{{.Description}}";
    private const string CompatibleTable = "table {{.Name}}\\t{{.Description}}\\t{{.Stars}}\\t{{.Official}}\\t{{.Automated}}";
    private const string TagsTable = "table {{.Name}}\\t{{.Tag}}";

    /// <summary>podman's default number of results per registry.</summary>
    public const int DefaultLimit = 25;

    public static Command Create(GlobalOptions globals)
    {
        var term = new Argument<string>("term") { Description = "What to search for: TERM, REGISTRY/TERM, or REGISTRY/ for a registry's whole catalog" };
        var limit = new Option<int>("--limit") { Description = "Limit the number of results (default 25 per registry)" };
        var filter = new Option<string[]>("--filter", "-f") { Description = "Filter output based on conditions provided: stars=N, is-official, is-automated", AllowMultipleArgumentsPerToken = false };
        var format = new Option<string?>("--format") { Description = "Change the output format to JSON or a Go template" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Do not truncate the output" };
        var compatible = new Option<bool>("--compatible") { Description = "List stars, official and automated columns (Docker compatibility)" };
        var listTags = new Option<bool>("--list-tags") { Description = "List the tags of the input registry" };
        var flags = new RegistryFlags();
        var command = new Command("search", "Search registry for image") { term, limit, filter, format, noTrunc, compatible, listTags };
        flags.AddTo(command, withCreds: false);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parseResult);
            string text = parseResult.GetValue(term)!;
            int max = parseResult.GetValue(limit) is int n and > 0 ? n : DefaultLimit;
            SearchFilter filters = SearchFilter.Parse(parseResult.GetValue(filter) ?? []);
            bool tags = parseResult.GetValue(listTags);
            OutputFormat output = OutputFormat.Parse(
                parseResult.GetValue(format),
                tags ? TagsTable : parseResult.GetValue(compatible) ? CompatibleTable : DefaultTable,
                "search");
            RegistryConnector connector = flags.Connector(parseResult, context);

            var rows = new List<TemplateObject>();
            var failures = new List<(string Registry, SkiffException Error)>();
            foreach ((string registry, string query) in Targets(text, connector.Config.UnqualifiedSearchRegistries))
            {
                try
                {
                    rows.AddRange(tags
                        ? await TagRowsAsync(connector, registry, query, text, max, cancellationToken)
                        : await SearchRowsAsync(connector, registry, query, max, filters, !parseResult.GetValue(noTrunc), cancellationToken));
                }
                catch (SkiffException e) when (!tags || e.Kind != ErrorKind.InvalidArgument)
                {
                    failures.Add((registry, e));
                }
            }

            if (rows.Count == 0 && failures.Count > 0)
            {
                (string registry, SkiffException first) = failures[0];
                string message = string.Join("; ", failures.Select(f => $"couldn't search registry \"{f.Registry}\": {f.Error.Message}"));
                throw new SkiffException(first.Kind, message, first.Hint, first);
            }

            foreach ((string registry, SkiffException e) in failures)
            {
                context.Error.WriteLine($"Warning: couldn't search registry \"{registry}\": {e.Message}");
            }

            if (output.IsJson)
            {
                context.Out.WriteLine(JsonOutput.Serialize(rows.Cast<object?>().ToList(), indented: true));
            }
            else if (rows.Count > 0)
            {
                TemplateObject header = TableHeader.Build(SearchRows.TypeName, SearchRows.Fields);
                context.Out.Write(output.Render(rows, header, TabWriter.Podman()));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Which registries to ask for what: <c>HOST/REST</c> asks HOST for REST; anything else asks every
    /// unqualified-search registry for the whole term (Docker Hub without a leading <c>library/</c>, which its
    /// search does not find, as podman and docker strip it).
    /// </summary>
    public static IReadOnlyList<(string Registry, string Term)> Targets(string text, IReadOnlyList<string> searchRegistries)
    {
        int slash = text.IndexOf('/');
        if (slash > 0 && ImageReference.IsRegistryHost(text[..slash]))
        {
            return [(text[..slash], text[(slash + 1)..])];
        }

        return searchRegistries
            .Select(r => (r, r == ImageReference.DockerHub && text.StartsWith("library/", StringComparison.Ordinal) ? text["library/".Length..] : text))
            .ToList();
    }

    private static async Task<IEnumerable<TemplateObject>> SearchRowsAsync(RegistryConnector connector, string registry, string query, int max, SearchFilter filters, bool truncate, CancellationToken cancellationToken)
    {
        // Docker Hub answers searches on its index host, not on its registry API's.
        string host = registry == ImageReference.DockerHub ? "index.docker.io" : registry;
        using RegistrySession session = connector.Open(host, connector.IsInsecure(registry, connector.Config.IsInsecure(registry)), registry, RegistrySearch.Scopes);
        IReadOnlyList<SearchHit> hits = await new RegistrySearch(session).SearchAsync(query, max, cancellationToken);
        return SearchRows.ForHits(registry, hits, max, filters, truncate).ToList();
    }

    private static async Task<IEnumerable<TemplateObject>> TagRowsAsync(RegistryConnector connector, string registry, string query, string text, int max, CancellationToken cancellationToken)
    {
        if (!ImageReference.TryParse($"{registry}/{query}", out ImageReference? reference, out _) || query.Length == 0)
        {
            throw SkiffException.InvalidArgument($"reference \"{text}\" must be a docker reference", "give --list-tags a repository, e.g. REGISTRY/NAME");
        }

        if (reference.Tag is not null || reference.Digest is not null)
        {
            throw SkiffException.InvalidArgument($"reference \"{text}\" must not have a tag", "give --list-tags the repository without :TAG");
        }

        using RegistrySession session = connector.Open(registry, connector.IsInsecure(registry, connector.Config.IsInsecure(registry)), $"{registry}/{reference.Repository}", [RegistrySession.PullScope(reference.Repository)]);
        IReadOnlyList<string> tags = await new RegistrySearch(session).ListTagsAsync(reference.Repository, max, cancellationToken);
        return SearchRows.ForTags(registry, reference.Repository, tags).ToList();
    }
}

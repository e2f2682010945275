using System.Net;
using System.Text.Json;
using Skiff.Core.Errors;

namespace Skiff.Images.Registry.Search;

/// <summary>
/// Searches one registry for repositories whose name contains a term, as podman does: the v1 search API
/// (<c>/v1/search?q=TERM&amp;n=LIMIT</c>, Docker Hub's) when the registry answers it, else the v2 catalog
/// (<c>/v2/_catalog</c>, followed through its <c>Link</c> pages) filtered here, an exact name first. An empty term
/// lists the catalog. Also lists a repository's tags (<c>/v2/NAME/tags/list</c>, paged the same way).
/// </summary>
public sealed class RegistrySearch(RegistrySession session)
{
    /// <summary>The largest answer read from one request: a catalog page or a search result set.</summary>
    public const long MaxResponseBytes = 16 * 1024 * 1024;

    /// <summary>Pages followed at most: a registry whose Link never ends must not keep skiff busy.</summary>
    public const int MaxPages = 1000;

    public static IReadOnlyList<string> Scopes { get; } = ["registry:catalog:*"];

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string term, int limit, CancellationToken cancellationToken)
    {
        await session.PingAsync(cancellationToken).ConfigureAwait(false);
        if (term.Length > 0 && await TryV1Async(term, limit, cancellationToken).ConfigureAwait(false) is { } found)
        {
            return found;
        }

        var hits = new List<SearchHit>();
        await foreach (JsonElement page in PagesAsync("v2/_catalog", "catalog", cancellationToken).ConfigureAwait(false))
        {
            foreach (string name in Strings(page, "repositories"))
            {
                if (hits.Count == limit)
                {
                    return hits;
                }

                if (name.Contains(term, StringComparison.Ordinal))
                {
                    hits.Insert(name == term ? 0 : hits.Count, new SearchHit(name));
                }
            }

            if (hits.Count == limit)
            {
                break;
            }
        }

        return hits;
    }

    public async Task<IReadOnlyList<string>> ListTagsAsync(string repository, int limit, CancellationToken cancellationToken)
    {
        await session.PingAsync(cancellationToken).ConfigureAwait(false);
        var tags = new List<string>();
        await foreach (JsonElement page in PagesAsync($"v2/{repository}/tags/list", $"tag list of {repository}", cancellationToken).ConfigureAwait(false))
        {
            foreach (string tag in Strings(page, "tags"))
            {
                if (tags.Count == limit)
                {
                    return tags;
                }

                tags.Add(tag);
            }
        }

        return tags;
    }

    /// <summary>The v1 search's results, or null when the registry has no such API (any failure but cancellation).</summary>
    private async Task<IReadOnlyList<SearchHit>?> TryV1Async(string term, int limit, CancellationToken cancellationToken)
    {
        string path = session.BaseUri.GetLeftPart(UriPartial.Authority) + $"/v1/search?q={Uri.EscapeDataString(term)}&n={limit}";
        try
        {
            using HttpResponseMessage response = await session.SendAsync(uri => new HttpRequestMessage(HttpMethod.Get, uri), path, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            byte[] body = await RegistrySession.ReadLimitedAsync(response, MaxResponseBytes, "search answer", cancellationToken).ConfigureAwait(false);
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("results", out JsonElement results)
                || results.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            return results.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object).Select(Hit).Where(h => h.Name.Length > 0).Take(limit).ToList();
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException or SkiffException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    private static SearchHit Hit(JsonElement result) => new(
        Text(result, "name"),
        Text(result, "description"),
        result.TryGetProperty("star_count", out JsonElement stars) && stars.TryGetInt32(out int count) ? count : 0,
        Flag(result, "is_official"),
        Flag(result, "is_automated"));

    private async IAsyncEnumerable<JsonElement> PagesAsync(string first, string what, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? next = first;
        for (int page = 0; next is not null && page < MaxPages; page++)
        {
            using HttpResponseMessage response = await session.SendAsync(uri => new HttpRequestMessage(HttpMethod.Get, uri), next, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw await RegistryErrors.FromResponseAsync(response, $"reading the {what} of {session.Endpoint.Registry}", cancellationToken).ConfigureAwait(false);
            }

            byte[] body = await RegistrySession.ReadLimitedAsync(response, MaxResponseBytes, what, cancellationToken).ConfigureAwait(false);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body);
            }
            catch (JsonException e)
            {
                throw SkiffException.InvalidArgument($"{session.Endpoint.Registry}: the {what} is not valid JSON: {e.Message}");
            }

            using (document)
            {
                yield return document.RootElement.Clone();
            }

            next = NextPage(response);
        }
    }

    /// <summary>The path of the next page from an RFC 5988 <c>Link: &lt;URL&gt;; rel="next"</c> header, or null.</summary>
    public static string? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out IEnumerable<string>? links))
        {
            return null;
        }

        foreach (string link in links)
        {
            int open = link.IndexOf('<');
            int close = link.IndexOf('>', open + 1);
            if (open < 0 || close < 0 || !link[(close + 1)..].Contains("rel=\"next\"", StringComparison.Ordinal))
            {
                continue;
            }

            string target = link[(open + 1)..close];
            // Only the path and query: a Link must not send skiff (and its credentials) elsewhere.
            // (On Unix "/v2/…" parses as an absolute file: URI, so only http(s) counts as absolute.)
            return Uri.TryCreate(target, UriKind.Absolute, out Uri? absolute) && absolute.Scheme is "http" or "https" ? absolute.PathAndQuery : target;
        }

        return null;
    }

    private static IEnumerable<string> Strings(JsonElement page, string property) =>
        page.ValueKind == JsonValueKind.Object && page.TryGetProperty(property, out JsonElement array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];

    private static string Text(JsonElement result, string property) =>
        result.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    private static bool Flag(JsonElement result, string property) =>
        result.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.True;
}

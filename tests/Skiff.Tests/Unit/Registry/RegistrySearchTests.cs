using System.Net;
using System.Text;
using Skiff.Cli.Commands.Registry;
using Skiff.Cli.Output;
using Skiff.Core.Errors;
using Skiff.Images.Registry;
using Skiff.Images.Registry.Auth;
using Skiff.Images.Registry.Search;

namespace Skiff.Tests.Unit.Registry;

/// <summary><c>skiff search</c>'s logic: the v1 search and the v2 catalog, filters, rows, and which registry a term names.</summary>
public sealed class RegistrySearchTests
{
    private static readonly RetryPolicy NoSleep = new(4, TimeSpan.FromMilliseconds(1), (_, _) => Task.CompletedTask);
    private static readonly RealmPolicy Realms = new((_, _) => Task.FromResult(new[] { IPAddress.Parse("93.184.216.34") }));

    private static RegistrySession Session(FakeRegistryHandler handler) =>
        new(handler, RegistryEndpoint.For("registry.example", insecure: false), null, RegistrySearch.Scopes, NoSleep, Realms);

    private static HttpResponseMessage Json(string body, string? link = null)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        if (link is not null)
        {
            response.Headers.TryAddWithoutValidation("Link", link);
        }

        return response;
    }

    [Fact]
    public async Task The_v1_search_answer_is_used_when_the_registry_has_one()
    {
        var handler = new FakeRegistryHandler()
            .Expect(HttpMethod.Get, "/v2/", HttpStatusCode.OK)
            .Expect(HttpMethod.Get, "/v1/search?q=web%20app&n=5", _ => Json("""
                {"results":[{"name":"team/web","description":"the web","star_count":7,"is_official":true,"is_automated":false},{"name":"","star_count":1},{"name":"x/web2"}]}
                """));
        using RegistrySession session = Session(handler);

        IReadOnlyList<SearchHit> hits = await new RegistrySearch(session).SearchAsync("web app", 5, CancellationToken.None);

        Assert.Equal([new SearchHit("team/web", "the web", 7, Official: true), new SearchHit("x/web2")], hits);
        Assert.True(handler.Done);
    }

    [Fact]
    public async Task Without_v1_the_catalog_pages_are_filtered_by_the_term_an_exact_name_first()
    {
        var handler = new FakeRegistryHandler()
            .Expect(HttpMethod.Get, "/v2/", HttpStatusCode.OK)
            .Expect(HttpMethod.Get, "/v1/search?q=web&n=3", HttpStatusCode.NotFound)
            .Expect(HttpMethod.Get, "/v2/_catalog", _ => Json("""{"repositories":["a/web","b/db"]}""", "<https://elsewhere.example/v2/_catalog?last=b%2Fdb&n=2>; rel=\"next\""))
            .Expect(HttpMethod.Get, "/v2/_catalog?last=b%2Fdb&n=2", _ => Json("""{"repositories":["web","c/webby","d/web"]}"""));
        using RegistrySession session = Session(handler);

        IReadOnlyList<SearchHit> hits = await new RegistrySearch(session).SearchAsync("web", 3, CancellationToken.None);

        Assert.Equal(["web", "a/web", "c/webby"], hits.Select(h => h.Name));
        Assert.True(handler.Done);
        // The Link's host is ignored: the next page came from the registry itself.
        Assert.StartsWith("https://registry-host/", handler.Requests[^1].Url.Replace("registry.example", "registry-host"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_term_lists_the_catalog_and_a_failing_catalog_is_the_registrys_error()
    {
        var handler = new FakeRegistryHandler()
            .Expect(HttpMethod.Get, "/v2/", HttpStatusCode.OK)
            .Expect(HttpMethod.Get, "/v2/_catalog", _ => Json("""{"repositories":["a","b"]}"""));
        using (RegistrySession session = Session(handler))
        {
            Assert.Equal(["a", "b"], (await new RegistrySearch(session).SearchAsync(string.Empty, 25, CancellationToken.None)).Select(h => h.Name));
        }

        var denied = new FakeRegistryHandler()
            .Expect(HttpMethod.Get, "/v2/", HttpStatusCode.OK)
            .Expect(HttpMethod.Get, "/v2/_catalog", _ => new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent("""{"errors":[{"code":"DENIED","message":"no catalog here"}]}""") });
        using RegistrySession refused = Session(denied);
        SkiffException e = await Assert.ThrowsAsync<SkiffException>(() => new RegistrySearch(refused).SearchAsync(string.Empty, 25, CancellationToken.None));
        Assert.Contains("no catalog here", e.Message);
    }

    [Fact]
    public async Task Tags_are_listed_through_their_pages_up_to_the_limit()
    {
        var handler = new FakeRegistryHandler()
            .Expect(HttpMethod.Get, "/v2/", HttpStatusCode.OK)
            .Expect(HttpMethod.Get, "/v2/team/app/tags/list", _ => Json("""{"name":"team/app","tags":["1","2"]}""", "</v2/team/app/tags/list?last=2>; rel=\"next\""))
            .Expect(HttpMethod.Get, "/v2/team/app/tags/list?last=2", _ => Json("""{"name":"team/app","tags":["3","4"]}"""));
        using RegistrySession session = Session(handler);

        Assert.Equal(["1", "2", "3"], await new RegistrySearch(session).ListTagsAsync("team/app", 3, CancellationToken.None));
    }

    [Theory]
    [InlineData("127.0.0.1:5000/busy", "127.0.0.1:5000", "busy")]
    [InlineData("quay.io/", "quay.io", "")]
    [InlineData("localhost/team/app", "localhost", "team/app")]
    [InlineData("busybox", "docker.io|other.example", "busybox|busybox")]
    [InlineData("library/alpine", "docker.io|other.example", "alpine|library/alpine")]
    [InlineData("team/app", "docker.io|other.example", "team/app|team/app")]
    public void A_term_names_its_registry_only_with_a_host_in_front(string text, string registries, string terms)
    {
        IReadOnlyList<(string Registry, string Term)> targets = SearchCommand.Targets(text, ["docker.io", "other.example"]);
        Assert.Equal(registries.Split('|'), targets.Select(t => t.Registry));
        Assert.Equal(terms.Split('|'), targets.Select(t => t.Term));
    }

    [Fact]
    public void Rows_are_sorted_limited_then_filtered_named_and_truncated_as_podmans()
    {
        SearchHit[] hits =
        [
            new("zeta", new string('d', 50), Stars: 3, Official: true),
            new("Alpha/x", "line\none", Stars: 1, Automated: true),
            new("beta/y", "short", Stars: 9),
        ];

        List<TemplateObject> rows = SearchRows.ForHits("docker.io", hits, limit: 2, SearchFilter.Parse(["stars=1"]), truncate: true).ToList();

        // The limit takes Alpha/x and beta/y; zeta (the only official one) is never seen.
        Assert.Equal(["docker.io/Alpha/x", "docker.io/beta/y"], rows.Select(r => r["Name"]));
        Assert.Equal("line one", rows[0]["Description"]);
        Assert.Equal("[OK]", rows[0]["Automated"]);
        Assert.Equal(string.Empty, rows[0]["Official"]);

        TemplateObject zeta = SearchRows.ForHits("docker.io", hits, 25, SearchFilter.Parse(["is-official"]), truncate: true).Single();
        Assert.Equal("docker.io/library/zeta", zeta["Name"]);
        Assert.Equal(new string('d', 44) + "...", zeta["Description"]);
        Assert.Equal(new string('d', 50), SearchRows.ForHits("q.example", hits, 25, SearchFilter.Parse(["is-official=true"]), truncate: false).Single()["Description"]);
        Assert.Equal("q.example/zeta", SearchRows.Qualified("q.example", "zeta"));
        Assert.Equal(2, SearchRows.ForHits("q.example", hits, 25, SearchFilter.Parse(["is-automated=false", "stars=3"]), truncate: true).Count());
    }

    [Theory]
    [InlineData("bogus=1", "invalid filter type")]
    [InlineData("stars", "stars filter")]
    [InlineData("stars=-1", "stars filter")]
    [InlineData("is-official=maybe", "not a boolean")]
    public void Bad_filters_are_refused(string filter, string message)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => SearchFilter.Parse([filter]));
        Assert.Contains(message, e.Message);
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }
}

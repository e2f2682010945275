using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Registry;

/// <summary><c>skiff search</c> against the distribution registry (its v2 catalog; it has no v1 search), as podman search.</summary>
[Collection(RegistryCollection.Name)]
[Trait("Category", "E2E")]
public sealed class SearchTests(RegistryFixture registry, SecureRegistryFixture secure, ITestOutputHelper output)
{
    [Theory]
    [RootAndRootless]
    public async Task Search_finds_catalog_names_containing_the_term_sorted_limited_and_formatted(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string unique = $"srch{Guid.NewGuid():N}"[..16];
        await TestImages.PushBusyboxAsync(registry.Registry, $"zz/{unique}-b", skiff.Sandbox.Work, "1", output);
        await TestImages.PushBusyboxAsync(registry.Registry, $"aa/{unique}-a", skiff.Sandbox.Work, "1", output);
        await TestImages.PushBusyboxAsync(registry.Registry, $"aa/{unique}-a", skiff.Sandbox.Work, "2", output);

        string[] table = Lines((await skiff.RunAsync("search", "--tls-verify=false", $"{registry.Address}/{unique}")).AssertSuccess().Stdout);
        Assert.Equal(3, table.Length);
        Assert.Matches("^NAME +DESCRIPTION$", table[0]);
        Assert.Equal($"{registry.Address}/aa/{unique}-a", table[1].TrimEnd());
        Assert.Equal($"{registry.Address}/zz/{unique}-b", table[2].TrimEnd());

        string names = (await skiff.RunAsync("search", "--tls-verify=false", "--limit", "1", "--format", "{{.Index}} {{.Name}} {{.Stars}}", $"{registry.Address}/{unique}")).AssertSuccess().Stdout;
        Assert.Equal($"{registry.Address} {registry.Address}/aa/{unique}-a 0\n", names);
        string json = (await skiff.RunAsync("search", "--tls-verify=false", "--format", "json", $"{registry.Address}/{unique}-b")).AssertSuccess().Stdout;
        Assert.Contains($"\"Name\": \"{registry.Address}/zz/{unique}-b\"", json);
        Assert.Contains("\"Stars\": 0", json);

        // No match, or a filter nothing passes: no output at all, success.
        Assert.Empty((await skiff.RunAsync("search", "--tls-verify=false", $"{registry.Address}/{unique}-nothing")).AssertSuccess().Stdout);
        Assert.Empty((await skiff.RunAsync("search", "--tls-verify=false", "--filter", "is-official", $"{registry.Address}/{unique}")).AssertSuccess().Stdout);

        string[] tags = Lines((await skiff.RunAsync("search", "--tls-verify=false", "--list-tags", $"{registry.Address}/aa/{unique}-a")).AssertSuccess().Stdout);
        Assert.Matches("^NAME +TAG$", tags[0]);
        Assert.Equal([$"{registry.Address}/aa/{unique}-a 1", $"{registry.Address}/aa/{unique}-a 2"], tags[1..].Select(Squeeze).Order(StringComparer.Ordinal).ToArray());
        Assert.Single(Lines((await skiff.RunAsync("search", "--tls-verify=false", "--list-tags", "--limit", "1", $"{registry.Address}/aa/{unique}-a")).AssertSuccess().Stdout)[1..]);
    }

    [Theory]
    [RootAndRootless]
    public async Task Search_errors_are_one_line_with_podmans_exit_code(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        (await skiff.RunAsync("search", "--tls-verify=false", "127.0.0.1:1/anything")).AssertError(125, "couldn't search registry \"127.0.0.1:1\"");
        (await skiff.RunAsync("search", $"{registry.Address}/anything")).AssertError(125, "--tls-verify=false");
        (await skiff.RunAsync("search", "--tls-verify=false", "--filter", "bogus=1", $"{registry.Address}/x")).AssertError(125, "invalid filter type \"bogus=1\"");
        (await skiff.RunAsync("search", "--tls-verify=false", "--filter", "stars=many", $"{registry.Address}/x")).AssertError(125, "stars");
        (await skiff.RunAsync("search", "--tls-verify=false", "--list-tags", $"{registry.Address}/x:1")).AssertError(125, "must not have a tag");
        (await skiff.RunAsync("search", "--tls-verify=false", "--list-tags", $"{registry.Address}/")).AssertError(125, "must be a docker reference");
        // A registry that wants credentials: none given is an error; after login the catalog answers.
        string certDir = Path.Combine(secure.CertsDirectory, secure.Address);
        string unique = $"srch{Guid.NewGuid():N}"[..16];
        await TestImages.PushBusyboxAsync(secure.Registry, $"sec/{unique}", skiff.Sandbox.Work, log: output);
        (await skiff.RunAsync("search", "--cert-dir", certDir, $"{secure.Address}/{unique}")).AssertError(125, "authentication required");
        (await skiff.RunAsync(["login", "--cert-dir", certDir, "-u", secure.Username, "--password-stdin", secure.Address], secure.Password + "\n")).AssertSuccess();
        string found = (await skiff.RunAsync("search", "--cert-dir", certDir, "--format", "{{.Name}}", $"{secure.Address}/{unique}")).AssertSuccess().Stdout;
        Assert.Equal($"{secure.Address}/sec/{unique}\n", found);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string Squeeze(string line) => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}

using Skiff.Core.Errors;
using Skiff.Images.References;
using Skiff.Images.Registry.Configuration;
using Skiff.Images.Registry.Search;

namespace Skiff.Images.Registry.Pulling;

/// <summary>
/// Every tag of a repository, for <c>pull --all-tags</c>: a short name resolves as a pull resolves it (alias, then
/// each unqualified-search registry until one lists the repository), and the tag list is read from the registry
/// (<c>/v2/NAME/tags/list</c>, every <c>Link</c> page), in the registry's order.
/// </summary>
public sealed class RepositoryTags(RegistryConnector connector)
{
    /// <returns>The repository the tags belong to (qualified, without tag or digest) and its tags.</returns>
    /// <exception cref="SkiffException">NotFound or the registry's error when no candidate lists the repository.</exception>
    public async Task<(ImageReference Repository, IReadOnlyList<string> Tags)> ListAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        IReadOnlyList<ImageReference> candidates = new ShortNameResolver(connector.Config).Candidates(reference);
        SkiffException? first = null;
        foreach (ImageReference candidate in candidates.Select(c => c.WithTag(null).WithDigest(null)))
        {
            string registry = candidate.Registry!;
            try
            {
                bool insecure = connector.IsInsecure(candidate.Name, connector.Config.FindEntry(candidate.Name)?.Insecure ?? false);
                using RegistrySession session = connector.Open(registry, insecure, candidate.Name, [RegistrySession.PullScope(candidate.Repository)]);
                IReadOnlyList<string> tags = await new RegistrySearch(session).ListTagsAsync(candidate.Repository, int.MaxValue, cancellationToken).ConfigureAwait(false);
                return (candidate, tags);
            }
            catch (SkiffException e) when (candidates.Count > 1)
            {
                first ??= e;
            }
        }

        throw first ?? SkiffException.Internal("no candidate to list tags from");
    }
}

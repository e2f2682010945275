using Skiff.Core.Errors;
using Skiff.Images.References;

namespace Skiff.Images.Registry.Configuration;

/// <summary>
/// Turns a reference into the fully qualified names a pull tries, like podman in non-interactive mode:
/// a qualified name as is; a short name through its alias if one exists, else once per
/// unqualified-search registry in order.
/// </summary>
public sealed class ShortNameResolver(RegistriesConfig config)
{
    public IReadOnlyList<ImageReference> Candidates(ImageReference reference)
    {
        if (!reference.IsShortName)
        {
            return [reference];
        }

        if (config.Aliases.TryGetValue(reference.Repository, out string? alias))
        {
            ImageReference target = ImageReference.Parse(alias);
            return [target.WithTag(reference.Tag ?? (reference.Digest is null ? target.Tag : null)).WithDigest(reference.Digest ?? target.Digest)];
        }

        if (config.UnqualifiedSearchRegistries.Count == 0)
        {
            throw SkiffException.InvalidArgument(
                $"short-name \"{reference}\" did not resolve to an alias and no unqualified-search registries are defined",
                "use a fully qualified name such as docker.io/library/NAME, or set unqualified-search-registries in registries.conf");
        }

        return config.UnqualifiedSearchRegistries.Select(reference.WithRegistry).ToList();
    }
}

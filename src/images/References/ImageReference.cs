using System.Text.RegularExpressions;
using Skiff.Core.Digests;
using Skiff.Core.Errors;

namespace Skiff.Images.References;

/// <summary>
/// A docker-style image reference: <c>[registry/]repository[:tag][@digest]</c>, following the grammar
/// of the distribution project's reference package. A reference parsed without a registry is a short
/// name (<see cref="IsShortName"/>); callers resolve it through registries.conf or qualify it.
/// </summary>
public sealed partial record ImageReference
{
    public const string DockerHub = "docker.io";
    public const string LocalRegistry = "localhost";
    public const string DefaultTag = "latest";
    private const int MaxNameLength = 255;

    private ImageReference(string? registry, string repository, string? tag, Digest? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry host[:port], or null for a short name.</summary>
    public string? Registry { get; }

    /// <summary>The repository path, e.g. <c>library/alpine</c>.</summary>
    public string Repository { get; }

    public string? Tag { get; }

    public Digest? Digest { get; }

    public bool IsShortName => Registry is null;

    /// <summary><c>registry/repository</c> (or just the repository for a short name).</summary>
    public string Name => Registry is null ? Repository : $"{Registry}/{Repository}";

    /// <summary>The tag, or <c>latest</c> when neither tag nor digest was given.</summary>
    public string? TagOrDefault => Tag ?? (Digest is null ? DefaultTag : null);

    public override string ToString()
    {
        string text = Name;
        if (Tag is not null)
        {
            text += ":" + Tag;
        }

        if (Digest is Digest d)
        {
            text += "@" + d.Value;
        }

        return text;
    }

    /// <summary><c>name:tag</c> with the default tag filled in, as image records store names.</summary>
    public string NameWithTag => $"{Name}:{TagOrDefault ?? DefaultTag}";

    public ImageReference WithRegistry(string registry)
    {
        string repository = registry == DockerHub && !Repository.Contains('/') ? "library/" + Repository : Repository;
        return new ImageReference(registry, repository, Tag, Digest);
    }

    public ImageReference WithTag(string? tag) => new(Registry, Repository, tag, Digest);

    public ImageReference WithDigest(Digest? digest) => new(Registry, Repository, Tag, digest);

    /// <summary>Fills in a registry for a short name (e.g. <c>localhost</c> for local names, as podman does).</summary>
    public ImageReference Qualify(string defaultRegistry) => IsShortName ? WithRegistry(defaultRegistry) : this;

    /// <summary>
    /// The name a local image gets for this reference (tag, untag, import, commit): a short name under
    /// <c>localhost/</c>, as podman names local images, with the tag or <c>latest</c>.
    /// </summary>
    public string LocalName => Qualify(LocalRegistry).NameWithTag;

    /// <summary>Whether the first component of a name is a registry host (docker's rule: a dot, a port, <c>localhost</c> or upper case), not a repository path.</summary>
    public static bool IsRegistryHost(string first) =>
        first.Contains('.') || first.Contains(':') || first == LocalRegistry || first.Any(char.IsUpper);

    public static ImageReference Parse(string text)
    {
        if (TryParse(text, out ImageReference? reference, out string? problem))
        {
            return reference;
        }

        throw SkiffException.InvalidArgument(
            $"invalid reference format \"{text}\": {problem}",
            "references look like [registry/]name[:tag][@sha256:digest] with a lowercase name");
    }

    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ImageReference? reference, out string? problem)
    {
        reference = null;
        problem = null;
        if (string.IsNullOrEmpty(text))
        {
            problem = "empty reference";
            return false;
        }

        string rest = text;
        Digest? digest = null;
        int at = rest.IndexOf('@');
        if (at >= 0)
        {
            if (!Core.Digests.Digest.TryParse(rest[(at + 1)..], out Digest parsed))
            {
                problem = "invalid digest";
                return false;
            }

            digest = parsed;
            rest = rest[..at];
        }

        string? tag = null;
        int lastColon = rest.LastIndexOf(':');
        if (lastColon >= 0 && !rest[(lastColon + 1)..].Contains('/'))
        {
            tag = rest[(lastColon + 1)..];
            rest = rest[..lastColon];
            if (!TagPattern().IsMatch(tag))
            {
                problem = "invalid tag";
                return false;
            }
        }

        string? registry = null;
        int slash = rest.IndexOf('/');
        if (slash > 0)
        {
            string first = rest[..slash];
            if (IsRegistryHost(first))
            {
                registry = first;
                rest = rest[(slash + 1)..];
                if (!DomainPattern().IsMatch(registry))
                {
                    problem = "invalid registry host";
                    return false;
                }
            }
        }

        if (rest.Length == 0 || rest.Length > MaxNameLength)
        {
            problem = rest.Length == 0 ? "missing repository name" : "repository name too long";
            return false;
        }

        if (rest.Any(char.IsUpper))
        {
            problem = "repository name must be lowercase";
            return false;
        }

        if (!rest.Split('/').All(component => ComponentPattern().IsMatch(component)))
        {
            problem = "invalid repository name";
            return false;
        }

        if (registry == DockerHub && !rest.Contains('/'))
        {
            rest = "library/" + rest;
        }

        reference = new ImageReference(registry, rest, tag, digest);
        return true;
    }

    [GeneratedRegex(@"^[\w][\w.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$")]
    private static partial Regex ComponentPattern();

    [GeneratedRegex(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$")]
    private static partial Regex DomainPattern();
}

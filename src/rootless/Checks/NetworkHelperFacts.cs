namespace Skiff.Rootless.Checks;

/// <summary>
/// What the installed network helpers can do: the slirp4netns version (null when it did not say) and the
/// pasta options skiff uses that this pasta does not know (Debian 12's pasta prints no usable version, so
/// the options it knows tell its age).
/// </summary>
public sealed record NetworkHelperFacts(Version? Slirp4netnsVersion, IReadOnlyList<string> PastaMissingOptions)
{
    /// <summary>What the pasta said its version is (see NetworkHelperProbe.ParsePastaVersion), or null.</summary>
    public string? PastaVersion { get; init; }
}

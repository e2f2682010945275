namespace Skiff.Rootless.Checks;

/// <summary>
/// What the installed network helpers can do: the slirp4netns version (null when it did not say) and the
/// pasta options skiff uses that this pasta does not know (Debian's pasta prints no usable version).
/// </summary>
public sealed record NetworkHelperFacts(Version? Slirp4netnsVersion, IReadOnlyList<string> PastaMissingOptions);

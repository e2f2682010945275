namespace Skiff.Images.Registry.Search;

/// <summary>
/// One repository a registry's search found: its name as the registry gives it (no registry prefix), and what
/// Docker Hub's v1 search adds (a registry's <c>/v2/_catalog</c> knows only names).
/// </summary>
public sealed record SearchHit(string Name, string Description = "", int Stars = 0, bool Official = false, bool Automated = false);

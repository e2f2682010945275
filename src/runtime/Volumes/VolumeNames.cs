using Skiff.Core.Errors;

namespace Skiff.Runtime.Volumes;

/// <summary>Volume names: podman's rule for given names, 64 random hex digits for anonymous volumes.</summary>
public static class VolumeNames
{
    public static string Random() => Convert.ToHexStringLower(Skiff.Core.Entropy.KernelRandom.GetBytes(32));

    /// <summary>True for names podman accepts: [a-zA-Z0-9][a-zA-Z0-9_.-]*.</summary>
    public static bool IsValid(string name) =>
        name.Length is > 0 and <= 255 && char.IsAsciiLetterOrDigit(name[0])
        && name.Skip(1).All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    public static string Validate(string name) => IsValid(name)
        ? name
        : throw SkiffException.InvalidArgument(
            $"volume name \"{name}\" includes invalid characters, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]*\" are allowed: invalid argument",
            "use letters, digits, '_', '.' and '-', starting with a letter or digit");
}

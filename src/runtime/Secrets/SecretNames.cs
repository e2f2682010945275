using Skiff.Core.Errors;

namespace Skiff.Runtime.Secrets;

/// <summary>Secret names and ids as podman 4.3 makes them.</summary>
public static class SecretNames
{
    /// <summary>podman's limit on a name's length.</summary>
    public const int MaxLength = 64;

    /// <summary>podman's ids are 25 hex digits (its random 32-byte id cut to the length it prints).</summary>
    public const int IdLength = 25;

    public static string NewId() => Convert.ToHexStringLower(Core.Entropy.KernelRandom.GetBytes(16))[..IdLength];

    /// <summary>True for names podman accepts: 1 to 64 of [a-zA-Z0-9_.-], starting and ending with a letter or digit.</summary>
    public static bool IsValid(string name) =>
        name.Length is > 0 and <= MaxLength
        && char.IsAsciiLetterOrDigit(name[0])
        && char.IsAsciiLetterOrDigit(name[^1])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    /// <summary>True for what may be a full id or an id prefix.</summary>
    public static bool IsIdPrefix(string value) =>
        value.Length is > 0 and <= IdLength && value.All(char.IsAsciiHexDigitLower);

    /// <summary>The name, or podman's error (exit 125) for a name it refuses.</summary>
    public static string Validate(string name) => IsValid(name)
        ? name
        : throw SkiffException.InvalidArgument(
            $"only {MaxLength} [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]: {name}: invalid secret name",
            "use letters, digits, '_', '.' and '-', starting and ending with a letter or digit");
}

using System.Security.Cryptography;
using Skiff.Core.Errors;

namespace Skiff.Core.Digests;

/// <summary>
/// A content digest (<c>algorithm:hex</c>). Only sha256 and sha512 are accepted, and the hex part is
/// validated strictly, so a digest can be used as a file name without path tricks (<c>sha256:../../x</c>).
/// </summary>
public readonly record struct Digest
{
    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    public string Algorithm { get; }

    public string Hex { get; }

    public string Value => $"{Algorithm}:{Hex}";

    /// <summary>The first 12 hex characters, as docker prints image ids.</summary>
    public string Short => Hex[..12];

    public override string ToString() => Value;

    public static Digest Parse(string text)
    {
        if (!TryParse(text, out Digest digest))
        {
            throw SkiffException.InvalidArgument($"invalid digest \"{text}\"", "a digest looks like sha256: followed by 64 lowercase hex characters");
        }

        return digest;
    }

    public static bool TryParse(string? text, out Digest digest)
    {
        digest = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        int colon = text.IndexOf(':');
        if (colon <= 0)
        {
            return false;
        }

        string algorithm = text[..colon];
        string hex = text[(colon + 1)..];
        int expected = algorithm switch
        {
            "sha256" => 64,
            "sha512" => 128,
            _ => -1,
        };
        if (expected < 0 || hex.Length != expected || !hex.All(IsLowerHex))
        {
            return false;
        }

        digest = new Digest(algorithm, hex);
        return true;
    }

    public static Digest FromSha256Hash(byte[] hash) => new("sha256", Convert.ToHexStringLower(hash));

    public static Digest Sha256Of(ReadOnlySpan<byte> data) => FromSha256Hash(SHA256.HashData(data));

    private static bool IsLowerHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f');
}

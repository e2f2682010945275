namespace Skiff.Runtime.Lifecycle;

/// <summary>Container ids are 64 lowercase hex digits (256 random bits), shown truncated to 12 like docker's.</summary>
public static class ContainerIds
{
    public const int ShortLength = 12;

    public static string New() => Convert.ToHexStringLower(Skiff.Core.Entropy.KernelRandom.GetBytes(32));

    public static bool IsFull(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);

    public static string Short(string id) => id.Length > ShortLength ? id[..ShortLength] : id;
}

using System.Globalization;
using Skiff.Core.Errors;

namespace Skiff.Runtime.Cgroups;

/// <summary>
/// Docker's memory size syntax (go-units RAMInBytes): a decimal number with an optional
/// b/k/m/g/t/p suffix, optionally followed by "b" ("32m", "32mb", "1.5g"), binary multiples, case-insensitive.
/// </summary>
public static class ByteSize
{
    public static long Parse(string text, string flag)
    {
        string s = text.Trim().ToLowerInvariant();
        int end = s.Length;
        while (end > 0 && char.IsAsciiLetterLower(s[end - 1]))
        {
            end--;
        }

        string number = s[..end];
        string suffix = s[end..];
        long multiplier = suffix switch
        {
            "" or "b" => 1,
            "k" or "kb" or "kib" => 1L << 10,
            "m" or "mb" or "mib" => 1L << 20,
            "g" or "gb" or "gib" => 1L << 30,
            "t" or "tb" or "tib" => 1L << 40,
            "p" or "pb" or "pib" => 1L << 50,
            _ => -1,
        };
        if (multiplier < 0
            || number.Length == 0
            || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value))
        {
            throw SkiffException.InvalidArgument(
                $"invalid size for {flag}: '{text}'",
                "use a number with an optional unit suffix: b, k, m or g (e.g. 512m)");
        }

        decimal bytes = value * multiplier;
        if (bytes > long.MaxValue)
        {
            throw SkiffException.InvalidArgument($"invalid size for {flag}: '{text}' is too large");
        }

        return (long)bytes;
    }
}

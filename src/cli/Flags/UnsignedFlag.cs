using System.Globalization;
using Skiff.Core.Errors;

namespace Skiff.Cli.Flags;

/// <summary>
/// A podman flag declared as a Go <c>uint</c> (<c>--timeout</c>, <c>--preserve-fds</c>): pflag reads it with
/// <c>strconv.ParseUint(s, 0, 64)</c>, so a sign, a blank, a fraction or a unit is an error, and a <c>0x</c>,
/// <c>0o</c>, <c>0b</c> or bare leading <c>0</c> picks the base. Errors read as pflag's.
/// </summary>
public static class UnsignedFlag
{
    /// <summary>The value of <paramref name="flag"/>, at most <paramref name="max"/>; <c>Error:</c> (exit 125) otherwise.</summary>
    public static uint Parse(string flag, string text, uint max = uint.MaxValue)
    {
        if (!TryParse(text, out ulong value))
        {
            throw Invalid(flag, text, "invalid syntax");
        }

        return value <= max ? (uint)value : throw Invalid(flag, text, "value out of range");
    }

    /// <summary>Go's <c>strconv.ParseUint(text, 0, 64)</c> without the underscores Go allows between digits.</summary>
    public static bool TryParse(string text, out ulong value)
    {
        value = 0;
        int radix = 10;
        string digits = text;
        if (text.Length > 1 && text[0] == '0')
        {
            (radix, digits) = char.ToLowerInvariant(text[1]) switch
            {
                'x' => (16, text[2..]),
                'o' => (8, text[2..]),
                'b' => (2, text[2..]),
                _ => (8, text[1..]),
            };
        }

        if (digits.Length == 0)
        {
            return false;
        }

        foreach (char c in digits)
        {
            int digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'z' => c - 'a' + 10,
                >= 'A' and <= 'Z' => c - 'A' + 10,
                _ => int.MaxValue,
            };
            if (digit >= radix)
            {
                return false;
            }

            try
            {
                value = checked((value * (ulong)radix) + (ulong)digit);
            }
            catch (OverflowException)
            {
                value = ulong.MaxValue;
                return true;
            }
        }

        return true;
    }

    private static SkiffException Invalid(string flag, string text, string reason) =>
        SkiffException.InvalidArgument(
            $"invalid argument \"{text}\" for \"{flag}\" flag: strconv.ParseUint: parsing {Quote(text)}: {reason}",
            $"give {flag} a whole number, 0 or more");

    private static string Quote(string text) => Output.GoFormat.Quote(text);
}

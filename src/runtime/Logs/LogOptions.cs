using System.Globalization;
using Skiff.Core.Errors;

namespace Skiff.Runtime.Logs;

/// <summary>
/// <c>--log-opt NAME=VALUE</c> as podman 4.3 reads them: <c>path</c> (the log file instead of the store's),
/// <c>max-size</c> (go-units FromHumanSize: decimal units, <c>1m</c> is 1,000,000 bytes), <c>tag</c> (recorded and shown
/// by inspect; podman uses it for journald only), and docker's <c>max-file</c> (how many files rotation keeps, the
/// current one included; podman accepts and ignores it). Any other name with a value is accepted and ignored, as
/// podman does; an option without <c>=</c> or an unreadable size is refused with podman's message.
/// </summary>
public sealed record LogOptions
{
    public string? Path { get; init; }

    /// <summary>Bytes a log file may hold before it is rotated; null or 0: unbounded.</summary>
    public long? MaxSize { get; init; }

    public int? MaxFiles { get; init; }

    public string? Tag { get; init; }

    /// <param name="options">The flag's values in order; a later one wins.</param>
    /// <param name="workingDirectory">What a relative path= is relative to (the log is written by the monitor, elsewhere).</param>
    public static LogOptions Parse(IEnumerable<string> options, string workingDirectory)
    {
        var result = new LogOptions();
        foreach (string option in options)
        {
            int equals = option.IndexOf('=');
            if (equals < 0)
            {
                throw SkiffException.InvalidArgument($"invalid log option \"{option}\"", "give --log-opt NAME=VALUE: path, max-size, max-file or tag");
            }

            string value = option[(equals + 1)..];
            result = option[..equals].ToLowerInvariant() switch
            {
                "path" => result with { Path = value.Length == 0 ? null : System.IO.Path.GetFullPath(value, workingDirectory) },
                "max-size" => result with { MaxSize = ParseSize(value) },
                "max-file" => result with { MaxFiles = ParseMaxFiles(value) },
                "tag" => result with { Tag = value },
                _ => result,
            };
        }

        return result;
    }

    /// <summary>go-units FromHumanSize: <c>NUMBER[ ][k|m|g|t|p][i][b]</c>, case-insensitive, powers of 1000 whatever the i.</summary>
    public static long ParseSize(string text)
    {
        string s = text.ToLowerInvariant();
        int end = s.Length;
        if (end > 0 && s[end - 1] == 'b')
        {
            end--;
        }

        if (end > 0 && s[end - 1] == 'i')
        {
            end--;
        }

        long multiplier = 1;
        if (end > 0 && "kmgtp".IndexOf(s[end - 1], StringComparison.Ordinal) is int unit and >= 0)
        {
            multiplier = (long)Math.Pow(1000, unit + 1);
            end--;
        }

        if (end > 0 && s[end - 1] == ' ')
        {
            end--;
        }

        string number = s[..end];
        if (number.Length == 0 || !char.IsAsciiDigit(number[0]) || !char.IsAsciiDigit(number[^1])
            || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value)
            || value * multiplier > long.MaxValue)
        {
            throw SkiffException.InvalidArgument($"invalid size: '{text}'", "give max-size as a number with an optional unit: k, m or g (powers of 1000), e.g. max-size=10m");
        }

        return (long)(value * multiplier);
    }

    private static int ParseMaxFiles(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int files) && files >= 1
            ? files
            : throw SkiffException.InvalidArgument($"invalid value for max-file: '{text}'", "give max-file as a whole number of at least 1");
}

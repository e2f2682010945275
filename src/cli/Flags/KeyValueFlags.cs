namespace Skiff.Cli.Flags;

/// <summary>Repeated <c>KEY=VALUE</c> flags (<c>--label</c>, <c>--opt</c>) as a map: a bare KEY has an empty value, a later KEY wins.</summary>
public static class KeyValueFlags
{
    public static Dictionary<string, string> Parse(string[] values)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string value in values)
        {
            string[] parts = value.Split('=', 2);
            result[parts[0]] = parts.Length == 2 ? parts[1] : string.Empty;
        }

        return result;
    }

    /// <summary>
    /// The KEY=VALUE lines of files such as --label-file and --env-file (docker's format: blank lines and lines
    /// starting with # skipped), in order. <paramref name="trim"/> is what docker strips first: labels lose leading
    /// whitespace only, environment lines both ends. An unreadable file is one error naming it.
    /// </summary>
    public static List<string> ReadFiles(IEnumerable<string> files, string flag, Func<string, string> trim, Func<string, string> what)
    {
        var lines = new List<string>();
        foreach (string file in files)
        {
            string[] content;
            try
            {
                content = File.ReadAllLines(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Core.Errors.SkiffException.NotFound($"{what(file)}: {IoErrorText.Describe("open", file, e)}", $"give {flag} a readable file of KEY=VALUE lines");
            }

            lines.AddRange(content.Select(trim).Where(l => l.Length > 0 && !l.StartsWith('#')));
        }

        return lines;
    }

    /// <summary>--label-file's lines: leading whitespace trimmed.</summary>
    public static List<string> ReadLabelFiles(IEnumerable<string> files) =>
        ReadFiles(files, "--label-file", l => l.TrimStart(), f => $"reading --label-file \"{f}\"");
}

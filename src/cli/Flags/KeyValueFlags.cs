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
    /// The KEY=VALUE lines of files such as --label-file (docker's format: blank lines and lines starting with #
    /// skipped, leading whitespace trimmed), in order, for <see cref="Parse"/>.
    /// </summary>
    public static List<string> ReadFiles(IEnumerable<string> files, string flag)
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
                throw Core.Errors.SkiffException.NotFound($"reading {flag} \"{file}\": {IoErrorText.Describe("open", file, e)}", $"give {flag} a readable file of KEY=VALUE lines");
            }

            lines.AddRange(content.Select(l => l.TrimStart()).Where(l => l.Length > 0 && !l.StartsWith('#')));
        }

        return lines;
    }
}

namespace Skiff.Cli.Completion;

/// <summary>Quoting and value markers shared by the completion script generators.</summary>
internal static class ShellWords
{
    /// <summary>Single-quoted for sh, bash, zsh and fish: <c>'it'\''s'</c>.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Fish single quotes escape with backslashes: <c>'it\'s'</c>.</summary>
    public static string FishQuote(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary>The marker the bash and zsh scripts use for a dynamic or file value, or the literal choices.</summary>
    public static string Values(ValueKind kind, IReadOnlyList<string> choices) => kind switch
    {
        ValueKind.Image => "@image",
        ValueKind.Container => "@container",
        ValueKind.ImageOrContainer => "@any",
        ValueKind.File => "@file",
        ValueKind.Choices => string.Join(' ', choices),
        _ => string.Empty,
    };

    /// <summary>First line of a description, without characters that break the scripts' quoting.</summary>
    public static string Describe(string description)
    {
        string line = description.Split('\n')[0].Trim();
        return line.Replace('\t', ' ');
    }
}

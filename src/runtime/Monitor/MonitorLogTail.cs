namespace Skiff.Runtime.Monitor;

/// <summary>
/// What the CLI shows of monitor.log when a monitor died before it could report: the messages, at most the last
/// 2,000 characters of them. A crash's stack frames stay in the file (the user gets what went wrong, not where).
/// </summary>
public static class MonitorLogTail
{
    public const int MaxLength = 2000;

    public static string Summary(IEnumerable<string> lines)
    {
        string text = string.Join('\n', lines.Where(IsMessage)).Trim();
        return text.Length > MaxLength ? text[^MaxLength..] : text;
    }

    private static bool IsMessage(string line) =>
        !line.StartsWith("   at ", StringComparison.Ordinal)
        && !line.StartsWith("--- End of", StringComparison.Ordinal)
        && line.Trim() != "Exception_EndOfInnerExceptionStack";
}

using System.Runtime.InteropServices;

namespace Skiff.Cli;

/// <summary>
/// The reason of a failed file operation as podman words it ("no such file or directory"). The published binary
/// is built with UseSystemResourceKeys, so .NET's own messages are resource keys ("IO_FileNotFound_FileName,
/// /x"): never show them to a user.
/// </summary>
public static class IoErrorText
{
    /// <summary>The reason for <paramref name="exception"/>, e.g. "permission denied"; null when it is not a file error skiff can name.</summary>
    public static string? Reason(Exception exception) => exception switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
        UnauthorizedAccessException => "permission denied",
        PathTooLongException => "file name too long",
        // .NET's IOExceptions for a failed system call carry the errno as their HResult.
        IOException { HResult: > 0 and < 4096 } io => Lower(Marshal.GetPInvokeErrorMessage(io.HResult)),
        _ => null,
    };

    /// <summary>"OPERATION PATH: reason", as podman reports a file it cannot use.</summary>
    public static string Describe(string operation, string path, Exception exception) =>
        $"{operation} {path}: {Reason(exception) ?? exception.Message}";

    /// <summary>
    /// An unexpected file error in words: "PATH: reason" when the message is one of .NET's resource keys with the
    /// path as its argument ("IO_PathNotFound_Path, /x"), the message itself when it is already words.
    /// </summary>
    public static string Unexpected(Exception exception)
    {
        string message = exception.Message;
        int comma = message.IndexOf(", ", StringComparison.Ordinal);
        bool resourceKey = comma > 0 && message.AsSpan(0, comma).IndexOfAny(' ', '\'', '.') < 0 && message.AsSpan(0, comma).Contains('_');
        if (Reason(exception) is string reason)
        {
            return resourceKey ? $"{message[(comma + 2)..]}: {reason}" : message;
        }

        return message;
    }

    private static string Lower(string text) => text.Length > 0 && char.IsUpper(text[0]) && (text.Length == 1 || !char.IsUpper(text[1]))
        ? char.ToLowerInvariant(text[0]) + text[1..]
        : text;
}

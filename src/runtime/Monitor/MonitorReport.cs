using System.Globalization;
using System.Text;
using Skiff.Core.Errors;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// The one message the monitor sends the starting CLI on the sync socket: <c>ok</c>, or
/// <c>error KIND</c> followed by a newline and the message.
/// </summary>
public static class MonitorReport
{
    public static byte[] Ok() => "ok"u8.ToArray();

    public static byte[] Failure(SkiffException error) =>
        Encoding.UTF8.GetBytes($"error {(int)error.Kind}\n{error.Message.Replace('\n', ' ')}\n{error.Hint}");

    /// <summary>Null when the report says the container started; otherwise the failure to throw.</summary>
    public static SkiffException? Parse(ReadOnlySpan<byte> packet)
    {
        string text = Encoding.UTF8.GetString(packet);
        if (text == "ok")
        {
            return null;
        }

        string[] lines = text.Split('\n', 3);
        if (lines.Length >= 2 && lines[0].StartsWith("error ", StringComparison.Ordinal)
            && int.TryParse(lines[0][6..], NumberStyles.None, CultureInfo.InvariantCulture, out int kind)
            && Enum.IsDefined((ErrorKind)kind))
        {
            string? hint = lines.Length > 2 && lines[2].Length > 0 ? lines[2] : null;
            return new SkiffException((ErrorKind)kind, lines[1], hint);
        }

        return SkiffException.Internal($"the container monitor sent an unexpected report: {text}");
    }
}

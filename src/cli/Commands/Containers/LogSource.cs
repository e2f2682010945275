using System.Text;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// What podman 4.3 puts around each line of one container's log: with several containers a prefix (the name with
/// <c>--names</c>, else the id's first 12 characters, then a space), and with <c>--color</c> the whole line in that
/// container's colour (its position among the arguments, through the seven colours podman cycles).
/// </summary>
public sealed class LogSource
{
    /// <summary>podman's order: white, red, yellow, blue, magenta, cyan, green, then white again.</summary>
    private static readonly int[] Colors = [37, 31, 33, 34, 35, 36, 32];

    private static readonly byte[] Reset = "\e[0m"u8.ToArray();

    private LogSource(byte[] prefix, byte[] colorStart, byte[] colorEnd)
    {
        Prefix = prefix;
        ColorStart = colorStart;
        ColorEnd = colorEnd;
    }

    /// <summary>Bytes before the line (and before its timestamp): the colour's escape, then the name or id and a space.</summary>
    public byte[] Prefix { get; }

    public byte[] ColorStart { get; }

    /// <summary>Bytes after the line's content and before its newline: the colour reset, or nothing.</summary>
    public byte[] ColorEnd { get; }

    /// <param name="position">The container's place among the containers given (0 for the first).</param>
    /// <param name="multiple">Whether the command was given more than one container (podman prefixes only then).</param>
    public static LogSource For(string id, string name, int position, bool multiple, bool names, bool color)
    {
        string prefix = !multiple ? "" : (names ? name : id[..Math.Min(12, id.Length)]) + " ";
        byte[] start = color ? Encoding.ASCII.GetBytes($"\e[{Colors[position % Colors.Length]}m") : [];
        return new LogSource(Encoding.UTF8.GetBytes(prefix), start, color ? Reset : []);
    }
}

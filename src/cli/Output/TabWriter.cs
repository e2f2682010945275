using System.Text;

namespace Skiff.Cli.Output;

/// <summary>
/// Go's <c>text/tabwriter</c> alignment (left-aligned, space padding), which docker and podman use for
/// every table. Cells end at a tab; the text after a line's last tab is not aligned. Columns are sized per
/// block of consecutive lines that have a cell in that column, exactly as Go computes them.
/// </summary>
public sealed class TabWriter(int minWidth, int padding)
{
    /// <summary>docker's table settings: <c>tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)</c>.</summary>
    public static TabWriter Docker() => new(10, 3);

    /// <summary>podman's own tables (top): <c>report.NewWriterDefault</c>, i.e. <c>tabwriter.NewWriter(out, 12, 2, 2, ' ', 0)</c>.</summary>
    public static TabWriter Podman() => new(12, 2);

    private readonly StringBuilder pending = new();

    public void Write(string text) => pending.Append(text);

    /// <summary>Aligns everything written so far and returns it; a trailing partial line is kept as is.</summary>
    public string Flush()
    {
        string text = pending.ToString();
        pending.Clear();
        var lines = new List<string[]>();
        int start = 0;
        while (start < text.Length)
        {
            int newline = text.IndexOf('\n', start);
            int end = newline < 0 ? text.Length : newline;
            lines.Add(text[start..end].Split('\t'));
            start = end + 1;
        }

        bool endsWithNewline = text.EndsWith('\n');
        var output = new StringBuilder(text.Length + 64);
        var widths = new List<int>();
        Format(lines, widths, 0, lines.Count, output);
        if (!endsWithNewline && output.Length > 0)
        {
            output.Length--;
        }

        return output.ToString();
    }

    private void Format(List<string[]> lines, List<int> widths, int line0, int line1, StringBuilder output)
    {
        int column = widths.Count;
        for (int current = line0; current < line1; current++)
        {
            if (column >= lines[current].Length - 1)
            {
                continue;
            }

            // A cell exists in this column: print the lines before the block, then size the block.
            WriteLines(lines, widths, line0, current, output);
            line0 = current;
            int width = minWidth;
            for (; current < line1; current++)
            {
                if (column >= lines[current].Length - 1)
                {
                    break;
                }

                width = Math.Max(width, Width(lines[current][column]) + padding);
            }

            widths.Add(width);
            Format(lines, widths, line0, current, output);
            widths.RemoveAt(widths.Count - 1);
            line0 = current;
        }

        WriteLines(lines, widths, line0, line1, output);
    }

    private static void WriteLines(List<string[]> lines, List<int> widths, int line0, int line1, StringBuilder output)
    {
        for (int i = line0; i < line1; i++)
        {
            string[] cells = lines[i];
            for (int j = 0; j < cells.Length; j++)
            {
                output.Append(cells[j]);
                if (j < widths.Count)
                {
                    output.Append(' ', Math.Max(widths[j] - Width(cells[j]), 0));
                }
            }

            output.Append('\n');
        }
    }

    private static int Width(string cell)
    {
        int width = 0;
        foreach (Rune _ in cell.EnumerateRunes())
        {
            width++;
        }

        return width;
    }
}

using Skiff.Cli.Output;

namespace Skiff.Tests.Unit.Output;

public class TabWriterTests
{
    private static string Align(string text)
    {
        var writer = TabWriter.Docker();
        writer.Write(text);
        return writer.Flush();
    }

    [Fact]
    public void Pads_each_column_to_its_widest_cell_plus_three_with_a_minimum_of_ten()
    {
        Assert.Equal("a            b\nlonger-one   c\n", Align("a\tb\nlonger-one\tc\n"));
        Assert.Equal("x         y\n", Align("x\ty\n"));
    }

    [Fact]
    public void The_last_cell_of_a_line_is_not_padded()
    {
        Assert.Equal("a         b   \n", Align("a\tb   \n"));
    }

    [Fact]
    public void Columns_are_sized_per_block_of_lines_like_go()
    {
        // The one-cell middle line ends the first column's block, so the lines below are sized on their own.
        Assert.Equal("aaaaaaaaaaaa   b\nplain\nc         d\n", Align("aaaaaaaaaaaa\tb\nplain\nc\td\n"));
    }

    [Fact]
    public void Counts_characters_not_bytes()
    {
        Assert.Equal("é         x\nab        y\n", Align("é\tx\nab\ty\n"));
    }

    [Fact]
    public void Keeps_a_trailing_partial_line()
    {
        Assert.Equal("a         b\nc", Align("a\tb\nc"));
    }
}

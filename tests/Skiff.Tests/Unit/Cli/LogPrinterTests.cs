using System.Text;
using Skiff.Cli.Commands.Containers;
using Skiff.Runtime.Logs;
using Xunit;

namespace Skiff.Tests.Unit.Cli;

/// <summary>The prefixes and colours <c>logs</c> puts on lines, and the merge of several containers' records by time.</summary>
public sealed class LogPrinterTests
{
    private const string Id = "5bf1049b4bda0123456789abcdef0123456789abcdef0123456789abcdef0123";
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 13, 0, 0, TimeSpan.Zero);

    [Fact]
    public void One_container_has_no_prefix_even_with_names()
    {
        Assert.Equal("a\n", Print(LogSource.For(Id, "web", 0, multiple: false, names: true, color: false), Line(T0, "a")));
    }

    [Fact]
    public void Several_containers_get_the_short_id_or_with_names_the_name()
    {
        Assert.Equal("5bf1049b4bda a\n", Print(LogSource.For(Id, "web", 0, multiple: true, names: false, color: false), Line(T0, "a")));
        Assert.Equal("web a\n", Print(LogSource.For(Id, "web", 0, multiple: true, names: true, color: false), Line(T0, "a")));
    }

    [Theory]
    [InlineData(0, 37)]
    [InlineData(1, 31)]
    [InlineData(2, 33)]
    [InlineData(3, 34)]
    [InlineData(4, 35)]
    [InlineData(5, 36)]
    [InlineData(6, 32)]
    [InlineData(7, 37)]
    public void Colours_follow_podmans_cycle_by_position(int position, int color)
    {
        Assert.Equal($"\e[{color}mweb a\e[0m\n", Print(LogSource.For(Id, "web", position, multiple: true, names: true, color: true), Line(T0, "a")));
    }

    [Fact]
    public void The_prefix_comes_before_the_timestamp_and_a_partial_line_gets_it_once()
    {
        LogSource source = LogSource.For(Id, "web", 0, multiple: true, names: true, color: false);
        var stdout = new MemoryStream();
        using (var printer = new LogPrinter(stdout, new MemoryStream(), timestamps: true))
        {
            printer.Print(new LogRecord(T0, false, "par"u8, partial: true), source);
            printer.Print(new LogRecord(T0, false, "tial"u8, partial: false), source);
            printer.Print(new LogRecord(T0, false, "next"u8, partial: false), source);
        }

        string stamp = LogDrivers.Timestamp(T0);
        Assert.Equal($"web {stamp} partial\nweb {stamp} next\n", Encoding.UTF8.GetString(stdout.ToArray()));
    }

    [Fact]
    public void Merged_records_come_in_time_order_and_ties_in_the_order_read()
    {
        LogSource a = LogSource.For(Id, "a", 0, multiple: true, names: true, color: false);
        LogSource b = LogSource.For(Id, "b", 1, multiple: true, names: true, color: false);
        var merged = new MergedLogRecords();
        LogRecordAction fromA = merged.Collect(a);
        LogRecordAction fromB = merged.Collect(b);
        fromA(new LogRecord(T0.AddSeconds(2), false, "a2"u8, false));
        fromA(new LogRecord(T0.AddSeconds(3), false, "a3"u8, false));
        fromB(new LogRecord(T0.AddSeconds(1), false, "b1"u8, false));
        fromB(new LogRecord(T0.AddSeconds(2), false, "b2"u8, false));
        var stdout = new MemoryStream();
        using (var printer = new LogPrinter(stdout, new MemoryStream(), timestamps: false))
        {
            merged.Drain(printer.Print);
            merged.Drain(printer.Print);
        }

        Assert.Equal("b b1\na a2\nb b2\na a3\n", Encoding.UTF8.GetString(stdout.ToArray()));
    }

    private static (DateTimeOffset Time, string Text) Line(DateTimeOffset time, string text) => (time, text);

    private static string Print(LogSource source, (DateTimeOffset Time, string Text) line)
    {
        var stdout = new MemoryStream();
        using (var printer = new LogPrinter(stdout, new MemoryStream(), timestamps: false))
        {
            printer.Print(new LogRecord(line.Time, false, Encoding.UTF8.GetBytes(line.Text), false), source);
        }

        return Encoding.UTF8.GetString(stdout.ToArray());
    }
}

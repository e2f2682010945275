using System.Text;
using Skiff.Runtime.Logs;

namespace Skiff.Tests.Unit.Logs;

public sealed class ContainerLogFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("skiff-logs-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData(LogDrivers.K8sFile)]
    [InlineData(LogDrivers.JsonFile)]
    public void Reads_back_what_the_writer_wrote_with_streams_partial_lines_and_times(string driver)
    {
        string path = Write(driver, ("stdout", "one\ntw"), ("stderr", "err\n"), ("stdout", "o\n"));

        List<(string Stream, string Text, bool Partial, DateTimeOffset Time)> records = ReadAll(path, driver);

        Assert.Equal(
            [("stdout", "one", false), ("stdout", "tw", true), ("stderr", "err", false), ("stdout", "o", false)],
            records.Select(r => (r.Stream, r.Text, r.Partial)).ToList());
        Assert.All(records, r => Assert.Equal(new DateTimeOffset(2026, 12, 1, 18, 51, 2, TimeSpan.Zero).AddTicks(1234567), r.Time));
    }

    [Fact]
    public void Keeps_the_containers_bytes_as_they_were_even_when_they_are_not_utf8()
    {
        string path = Path.Combine(directory, "ctr.log");
        using (var writer = new ContainerLogWriter(LogDrivers.K8sFile, path, new FixedClock()))
        {
            writer.Write("stdout", [0xff, 0xfe, (byte)'x', (byte)'\n']);
        }

        var seen = new List<byte[]>();
        new ContainerLogFile(path, LogDrivers.K8sFile).Read(0, r => seen.Add(r.Content.ToArray()));

        Assert.Equal([0xff, 0xfe, (byte)'x'], Assert.Single(seen));
    }

    [Fact]
    public void A_line_without_its_newline_waits_for_it_and_lines_longer_than_the_read_buffer_come_whole()
    {
        string path = Path.Combine(directory, "ctr.log");
        string longLine = new('x', (3 << 20) + 17);
        File.WriteAllText(path, $"2026-12-01T18:51:02.123456700Z stdout F {longLine}\n2026-12-01T18:51:02.123456700Z stdout F tail");
        var file = new ContainerLogFile(path, LogDrivers.K8sFile);
        var texts = new List<string>();

        long offset = file.Read(0, r => texts.Add(Encoding.UTF8.GetString(r.Content)));
        File.AppendAllText(path, "\n");
        long end = file.Read(offset, r => texts.Add(Encoding.UTF8.GetString(r.Content)));

        Assert.Equal([longLine, "tail"], texts);
        Assert.Equal(new FileInfo(path).Length, end);
    }

    [Theory]
    [InlineData(0, new string[0])]
    [InlineData(1, new[] { "c1", "c2" })]
    [InlineData(2, new[] { "b", "c1", "c2" })]
    [InlineData(3, new[] { "a", "b", "c1", "c2" })]
    [InlineData(10, new[] { "a", "b", "c1", "c2" })]
    public void Tail_starts_at_the_records_of_the_last_lines_with_all_parts_of_a_split_line(int lines, string[] expected)
    {
        string path = Write(LogDrivers.K8sFile, ("stdout", "a\nb\nc1"), ("stdout", "c2\n"));
        var file = new ContainerLogFile(path, LogDrivers.K8sFile);
        var texts = new List<string>();

        file.Read(file.TailStart(lines), r => texts.Add(Encoding.UTF8.GetString(r.Content)));

        Assert.Equal(expected, texts);
    }

    [Theory]
    [InlineData(0, new string[0])]
    [InlineData(1, new[] { "c" })]
    [InlineData(2, new[] { "b", "c" })]
    public void Tail_counts_an_unfinished_last_line_as_a_line(int lines, string[] expected)
    {
        string path = Write(LogDrivers.K8sFile, ("stdout", "a\nb\nc"));
        var file = new ContainerLogFile(path, LogDrivers.K8sFile);
        var texts = new List<string>();

        file.Read(file.TailStart(lines), r => texts.Add(Encoding.UTF8.GetString(r.Content)));

        Assert.Equal(expected, texts);
    }

    [Fact]
    public void Tail_reads_back_past_its_first_window_when_the_last_lines_are_long()
    {
        string path = Path.Combine(directory, "ctr.log");
        var lines = Enumerable.Range(0, 40).Select(i => $"{i}:" + new string('y', 10_000)).ToList();
        File.WriteAllLines(path, lines.Select(l => $"2026-12-01T18:51:02Z stdout F {l}"));
        var file = new ContainerLogFile(path, LogDrivers.K8sFile);
        var texts = new List<string>();

        file.Read(file.TailStart(25), r => texts.Add(Encoding.UTF8.GetString(r.Content)));

        Assert.Equal(lines[15..], texts);
    }

    [Theory]
    [InlineData("2026-12-01T18:51:02.123456700Z", 2026, 12, 1, 18, 51, 2, 1234567)]
    [InlineData("2026-12-01T18:51:02Z", 2026, 12, 1, 18, 51, 2, 0)]
    [InlineData("2026-12-01T18:51:02.5Z", 2026, 12, 1, 18, 51, 2, 5000000)]
    [InlineData("2026-12-01T19:51:02.5+01:00", 2026, 12, 1, 18, 51, 2, 5000000)]
    public void Timestamps_in_the_writers_form_and_other_rfc3339_forms_parse(string text, int year, int month, int day, int hour, int minute, int second, long ticks)
    {
        Assert.True(LogTimestamp.TryParse(Encoding.ASCII.GetBytes(text), out DateTimeOffset time));
        Assert.Equal(new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero).AddTicks(ticks), time);
    }

    [Theory]
    [InlineData("2026-13-01T18:51:02Z")]
    [InlineData("2026-02-30T18:51:02Z")]
    [InlineData("2026-12-01T18:51:02.Z")]
    [InlineData("yesterday")]
    public void Malformed_timestamps_do_not_parse(string text) =>
        Assert.False(LogTimestamp.TryParse(Encoding.ASCII.GetBytes(text), out _));

    [Fact]
    public void Lines_that_are_not_records_are_skipped()
    {
        string path = Path.Combine(directory, "ctr.log");
        File.WriteAllText(path, "garbage\n2026-12-01T18:51:02Z stdout F ok\nnot-a-time stdout F no\n");

        List<(string Stream, string Text, bool Partial, DateTimeOffset Time)> records = ReadAll(path, LogDrivers.K8sFile);

        Assert.Equal("ok", Assert.Single(records).Text);
    }

    private string Write(string driver, params (string Stream, string Text)[] writes)
    {
        string path = Path.Combine(directory, "ctr.log");
        using var writer = new ContainerLogWriter(driver, path, new FixedClock());
        foreach ((string stream, string text) in writes)
        {
            writer.Write(stream, Encoding.UTF8.GetBytes(text));
        }

        return path;
    }

    private static List<(string Stream, string Text, bool Partial, DateTimeOffset Time)> ReadAll(string path, string driver)
    {
        var records = new List<(string, string, bool, DateTimeOffset)>();
        new ContainerLogFile(path, driver).Read(0, r => records.Add((r.IsStderr ? "stderr" : "stdout", Encoding.UTF8.GetString(r.Content), r.Partial, r.Time)));
        return records;
    }

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 12, 1, 18, 51, 2, TimeSpan.Zero).AddTicks(1234567);
    }
}

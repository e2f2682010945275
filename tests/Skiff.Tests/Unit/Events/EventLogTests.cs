using Skiff.Cli.Commands.System;
using Skiff.Core.Events;

namespace Skiff.Tests.Unit.Events;

public sealed class EventLogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("skiff-events-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static EngineEvent Container(string status, int? code = null) =>
        new("container", status, new DateTimeOffset(2026, 12, 2, 18, 14, 3, TimeSpan.Zero).AddTicks(6315772))
        {
            Id = new string('a', 64), Name = "web", Image = "localhost/busybox:latest", ContainerExitCode = code,
            Attributes = new Dictionary<string, string> { ["z"] = "1", ["a"] = "b" },
        };

    [Fact]
    public void A_line_is_podmans_json_and_reads_back()
    {
        string line = System.Text.Encoding.UTF8.GetString(EventJson.Line(Container("died", 3)));
        Assert.Equal(
            $"{{\"ContainerExitCode\":3,\"ID\":\"{new string('a', 64)}\",\"Image\":\"localhost/busybox:latest\",\"Name\":\"web\",\"Status\":\"died\",\"Time\":\"2026-12-02T18:14:03.6315772Z\",\"Type\":\"container\",\"Attributes\":{{\"a\":\"b\",\"z\":\"1\"}}}}\n",
            line);
        int position = 0;
        EngineEvent parsed = Assert.Single(EventLog.Parse(System.Text.Encoding.UTF8.GetBytes(line), ref position));
        Assert.Equal(("died", 3, "web"), (parsed.Status, parsed.ContainerExitCode, parsed.Name));
        Assert.Equal(Container("died").Time, parsed.Time);
        Assert.DoesNotContain("ContainerExitCode", System.Text.Encoding.UTF8.GetString(EventJson.Line(Container("died", 0))), StringComparison.Ordinal);
    }

    [Fact]
    public void A_health_status_event_carries_the_health_as_podman_4_3_writes_and_prints_it()
    {
        EngineEvent health = Container("health_status") with { HealthStatus = "healthy" };
        string line = System.Text.Encoding.UTF8.GetString(EventJson.Line(health));

        Assert.Contains("\"Type\":\"container\",\"health_status\":\"healthy\",\"Attributes\":", line, StringComparison.Ordinal);
        Assert.True(EventJson.TryParse(System.Text.Encoding.UTF8.GetBytes(line.TrimEnd('\n')), out EngineEvent? parsed));
        Assert.Equal("healthy", parsed.HealthStatus);
        Assert.EndsWith("(image=localhost/busybox:latest, name=web, health_status=healthy, a=b, z=1)", EventView.Line(health, truncate: false), StringComparison.Ordinal);
        Assert.Equal("healthy", EventView.Template(health)["HealthStatus"]);
        Assert.DoesNotContain("health_status", System.Text.Encoding.UTF8.GetString(EventJson.Line(Container("start"))), StringComparison.Ordinal);
    }

    [Fact]
    public void A_volume_store_with_a_log_records_each_creation_and_removal()
    {
        var log = new EventLog(Path.Combine(_dir, "events"));
        var volumes = new Skiff.Runtime.Volumes.VolumeStore(Path.Combine(_dir, "root")) { Events = log };
        string anonymous = volumes.Create(null, anonymous: true).Name;
        volumes.GetOrCreate("data");
        volumes.GetOrCreate("data");
        volumes.Remove(anonymous);
        new Skiff.Runtime.Volumes.VolumeStore(Path.Combine(_dir, "root")).Remove("data");

        Assert.Equal([("create", anonymous), ("create", "data"), ("remove", anonymous)], log.ReadAll().Select(e => (e.Status, e.Name!)));
        Assert.All(log.ReadAll(), e => Assert.Equal("volume", e.Type));
    }

    [Fact]
    public void Torn_and_foreign_lines_are_skipped_and_a_partial_last_line_waits()
    {
        byte[] good = EventJson.Line(Container("start"));
        byte[] content = [.. "garbage\n"u8, .. good, .. "{\"Type\":\"x\"}\n"u8, .. good[..10]];
        int position = 0;
        Assert.Single(EventLog.Parse(content, ref position));
        Assert.Equal(content.Length - 10, position);
    }

    [Fact]
    public void Appends_from_many_writers_stay_whole_lines_and_rotation_keeps_the_newer_half()
    {
        var log = new EventLog(_dir, maxBytes: 20_000);
        Parallel.For(0, 400, i => log.Write(Container("exec") with { Name = "c" + i }));
        string[] lines = File.ReadAllLines(log.FilePath);
        Assert.InRange(new FileInfo(log.FilePath).Length, 1, 20_000 + 1_000);
        Assert.All(lines, l => Assert.True(EventJson.TryParse(System.Text.Encoding.UTF8.GetBytes(l), out _), l));
        Assert.Equal(lines.Length, log.ReadAll().Count);
        Assert.InRange(lines.Length, 1, 399); // rotated: older lines went
        Assert.False(File.Exists(log.FilePath + ".tmp"));
    }

    [Fact]
    public void Lines_are_podmans_human_readable_ones()
    {
        EngineEvent died = Container("died", 1);
        Assert.Equal(
            $"{Skiff.Cli.Output.GoValues.FormatTime(died.Time.ToLocalTime())} container died {new string('a', 64)} (image=localhost/busybox:latest, name=web, a=b, z=1)",
            EventView.Line(died, truncate: false));
        Assert.StartsWith("2026-12-02 18:14:03.6315772 +0000 UTC", Skiff.Cli.Output.GoValues.FormatTime(died.Time), StringComparison.Ordinal);
        var image = new EngineEvent("image", "pull", DateTimeOffset.UnixEpoch) { Name = "busybox" };
        Assert.EndsWith(" image pull  busybox", EventView.Line(image, truncate: false), StringComparison.Ordinal);
        var volume = new EngineEvent("volume", "create", DateTimeOffset.UnixEpoch) { Name = "v" };
        Assert.EndsWith(" volume create v", EventView.Line(volume, truncate: false), StringComparison.Ordinal);
        Assert.Contains(" container died aaaaaaaaaaaa (", EventView.Line(Container("died"), truncate: true), StringComparison.Ordinal);
    }

    [Fact]
    public void Filters_of_one_key_are_alternatives_and_keys_must_all_match()
    {
        EventFilter filter = EventFilter.Parse(["event=died", "event=start", "container=aaaa", "label=a=b"]);
        Assert.True(filter.Matches(Container("died")));
        Assert.True(filter.Matches(Container("start")));
        Assert.False(filter.Matches(Container("create")));
        Assert.False(EventFilter.Parse(["label=a=c"]).Matches(Container("died")));
        Assert.True(EventFilter.Parse(["image=busybox"]).Matches(Container("died")));
        Assert.True(EventFilter.Parse(["container=web"]).Matches(Container("died")));
        Assert.Throws<Skiff.Core.Errors.SkiffException>(() => EventFilter.Parse(["nope=1"]));
    }
}

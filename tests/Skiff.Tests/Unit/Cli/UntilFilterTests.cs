using System.Globalization;
using Skiff.Cli.Flags;
using Skiff.Core.Errors;
using Xunit;

namespace Skiff.Tests.Unit.Cli;

/// <summary>
/// The <c>until=</c> filter of container prune and volume prune/ls, as podman 4.3.1 read each value here
/// (checked by hand on 2026-12-02 with <c>podman volume prune</c> and <c>podman container prune</c>, root and
/// rootless: a fresh object kept or removed, or exit 125). Its grammar is not logs' --since: see InputTime.
/// </summary>
public sealed class UntilFilterTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.CreateCustomTimeZone("test+9", TimeSpan.FromHours(9), "test+9", "test+9");

    [Theory]
    // A Go duration ago, kept to whole seconds; a negative one is ahead of now, and "0" is Unix time 0.
    [InlineData("10m", "2026-12-02T07:50:00")]
    [InlineData("1h30m", "2026-12-02T06:30:00")]
    [InlineData("500ms", "2026-12-02T07:59:59")]
    [InlineData("0s", "2026-12-02T08:00:00")]
    [InlineData("-5m", "2026-12-02T08:05:00")]
    [InlineData("+5m", "2026-12-02T07:55:00")]
    // Dates and times; without a zone they are local (UTC in this test).
    [InlineData("2026-12-01", "2026-12-01T00:00:00")]
    [InlineData("2026-12-01T10:00:00", "2026-12-01T10:00:00")]
    [InlineData("2026-12-01T10:00:00Z", "2026-12-01T10:00:00")]
    [InlineData("2026-12-03T10", "2026-12-03T10:00:00")]
    [InlineData("2026-12-03T10:00", "2026-12-03T10:00:00")]
    [InlineData("2026-12-03T9:00:00", "2026-12-03T09:00:00")]
    [InlineData("2026-12-03T10:00:00+02:00", "2026-12-03T08:00:00")]
    [InlineData("2026-12-03T10:00:00.123456789Z", "2026-12-03T10:00:00.1234567")]
    [InlineData("2026-12-03T10:00:00.5", "2026-12-03T10:00:00.5")]
    [InlineData("2026-12-03T10:00:00.5+02:00", "2026-12-03T08:00:00.5")]
    [InlineData("2026-12-03T10Z", "2026-12-03T10:00:00")]
    [InlineData("2026-12-03Z", "2026-12-03T00:00:00")]
    [InlineData("2026-12-03+02:00", "2026-12-02T22:00:00")]
    [InlineData("2026-12-01-05:00", "2026-12-01T05:00:00")]
    // Unix seconds: digits, a '+' allowed, and a fraction of any length.
    [InlineData("1700000000", "2023-11-14T22:13:20")]
    [InlineData("1700000000.5", "2023-11-14T22:13:20.5")]
    [InlineData("+1800000000", "2027-01-15T08:00:00")]
    [InlineData("1800000000.12345678901", "2027-01-15T08:00:00.1234567")]
    [InlineData("0", "1970-01-01T00:00:00")]
    [InlineData("10", "1970-01-01T00:00:10")]
    [InlineData("20261203", "1970-08-23T12:06:43")]
    public void Podman_accepts_and_means(string value, string expectedUtc) =>
        Assert.Equal(
            DateTimeOffset.Parse(expectedUtc + "Z", CultureInfo.InvariantCulture),
            UntilFilter.Parse(value, Now, TimeZoneInfo.Utc));

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("soon")]
    [InlineData("1d")]
    [InlineData("h")]
    [InlineData("10m ")]
    [InlineData("1h-5m")]
    [InlineData("2026-13-01")]
    [InlineData("2026-12-3")]
    [InlineData("2026-12-03 10:00:00")]
    [InlineData("2026-12-03T10:00:00z")]
    [InlineData("2026-12-03T10:00:00.1234567891Z")]
    [InlineData("-5")]
    [InlineData("-1800000000")]
    [InlineData("1e9")]
    [InlineData("NaN")]
    [InlineData("1800000000.")]
    [InlineData(".5")]
    public void Podman_refuses_and_so_do_we(string value)
    {
        var e = Assert.Throws<SkiffException>(() => UntilFilter.Parse(value, Now, TimeZoneInfo.Utc));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal($"invalid until filter \"{value}\"", e.Message);
        Assert.Contains("duration ago such as 10m", e.Hint);
    }

    [Fact]
    public void Container_prune_and_networks_take_one_until_at_most()
    {
        Assert.Null(UntilFilter.ParseOne([], Now));
        Assert.Equal(Now.AddMinutes(-10), UntilFilter.ParseOne(["10m"], Now));
        var e = Assert.Throws<SkiffException>(() => UntilFilter.ParseOne(["10m", "1h"], Now));
        Assert.Equal("specify exactly one timestamp for until", e.Message);
    }

    [Theory]
    [InlineData("2026-12-02T15:00:00", "2026-12-02T06:00:00")]
    [InlineData("2026-12-02T08", "2026-12-01T23:00:00")]
    [InlineData("2026-12-02", "2026-12-01T15:00:00")]
    [InlineData("2026-12-02T15:00:00Z", "2026-12-02T15:00:00")]
    [InlineData("2026-12-02T15:00:00+02:00", "2026-12-02T13:00:00")]
    [InlineData("1800000000", "2027-01-15T08:00:00")]
    [InlineData("10m", "2026-12-02T07:50:00")]
    public void A_time_without_a_zone_is_local_the_rest_is_not(string value, string expectedUtc) =>
        Assert.Equal(
            DateTimeOffset.Parse(expectedUtc + "Z", CultureInfo.InvariantCulture),
            UntilFilter.Parse(value, Now, Tokyo));
}

using Skiff.Cli;
using Skiff.Cli.Output;
using Xunit;

namespace Skiff.Tests.Unit.Cli;

/// <summary>Times typed for <c>logs --since/--until</c>, read as podman 4.3's ParseInputTime reads them.</summary>
public sealed class InputTimeTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("10m", 600_000L)]
    [InlineData("1h30m", 5_400_000L)]
    [InlineData("1.5s", 1_500L)]
    [InlineData(".5s", 500L)]
    [InlineData("2h45m10.5s", 9_910_500L)]
    [InlineData("300ms", 300L)]
    [InlineData("-2m", -120_000L)]
    [InlineData("+3s", 3_000L)]
    [InlineData("1000us", 1L)]
    [InlineData("1000\u00b5s", 1L)]
    [InlineData("1000000ns", 1L)]
    public void Go_durations_parse(string text, long milliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out TimeSpan duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("m")]
    [InlineData("1d")]
    [InlineData("1.2.3s")]
    [InlineData("10m ")]
    [InlineData("-")]
    [InlineData(".s")]
    [InlineData("99999999999999h")]
    public void Malformed_durations_are_refused(string text) =>
        Assert.False(GoDuration.TryParse(text, out _));

    [Theory]
    [InlineData("2026-12-02T07:57:54.312382133Z", "2026-12-02T07:57:54.3123821+00:00")]
    [InlineData("2026-12-02T07:57:54Z", "2026-12-02T07:57:54.0000000+00:00")]
    [InlineData("2026-12-02T09:57:54+02:00", "2026-12-02T07:57:54.0000000+00:00")]
    [InlineData("2026-12-02T07:57:54", "2026-12-02T07:57:54.0000000+00:00")]
    [InlineData("2026-12-02T07:57:54.5", "2026-12-02T07:57:54.5000000+00:00")]
    [InlineData("2026-12-02", "2026-12-02T00:00:00.0000000+00:00")]
    [InlineData("2026-12-02Z", "2026-12-02T00:00:00.0000000+00:00")]
    [InlineData("1796198274", "2026-12-02T07:57:54.0000000+00:00")]
    [InlineData("1796198274.25", "2026-12-02T07:57:54.2500000+00:00")]
    public void Timestamps_and_unix_seconds_are_absolute(string text, string expected)
    {
        Assert.True(InputTime.TryParse(text, Now, lowerBound: false, out DateTimeOffset time));
        Assert.Equal(expected, time.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_duration_points_back_for_since_and_forward_for_until()
    {
        Assert.True(InputTime.TryParse("1h30m", Now, lowerBound: true, out DateTimeOffset since));
        Assert.True(InputTime.TryParse("1h30m", Now, lowerBound: false, out DateTimeOffset until));
        Assert.Equal(Now.AddMinutes(-90), since);
        Assert.Equal(Now.AddMinutes(90), until);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("2026-13-02")]
    [InlineData("02/12/2026")]
    [InlineData("yesterday")]
    public void Anything_else_is_refused(string text) =>
        Assert.False(InputTime.TryParse(text, Now, lowerBound: true, out _));
}

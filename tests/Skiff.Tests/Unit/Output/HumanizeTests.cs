using Skiff.Cli.Output;

namespace Skiff.Tests.Unit.Output;

public class HumanizeTests
{
    [Theory]
    [InlineData(0, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(59, "59 seconds")]
    [InlineData(60, "About a minute")]
    [InlineData(119, "About a minute")]
    [InlineData(120, "2 minutes")]
    [InlineData(3599, "59 minutes")]
    [InlineData(3600, "About an hour")]
    [InlineData(5399, "About an hour")]
    [InlineData(5400, "2 hours")]
    [InlineData(47 * 3600, "47 hours")]
    [InlineData(48 * 3600, "2 days")]
    [InlineData(13 * 86400, "13 days")]
    [InlineData(14 * 86400, "2 weeks")]
    [InlineData(59 * 86400, "8 weeks")]
    [InlineData(60 * 86400, "2 months")]
    [InlineData(729 * 86400, "24 months")]
    [InlineData(730 * 86400, "2 years")]
    public void Durations_match_docker(long seconds, string expected)
    {
        Assert.Equal(expected, Humanize.Duration(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Ago_appends_ago()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal("2 days ago", Humanize.Ago(now.AddDays(-2), now));
    }

    [Theory]
    [InlineData(0, "0B")]
    [InlineData(512, "512B")]
    [InlineData(999, "999B")]
    [InlineData(1000, "1kB")]
    [InlineData(1234, "1.23kB")]
    [InlineData(4_261_550, "4.26MB")]
    [InlineData(7_370_000, "7.37MB")]
    [InlineData(77_000_000, "77MB")]
    [InlineData(123_456_789, "123MB")]
    [InlineData(1_130_000_000, "1.13GB")]
    [InlineData(999_999, "1e+03kB")]
    public void Sizes_match_docker(long bytes, string expected)
    {
        Assert.Equal(expected, Humanize.Size(bytes));
    }

    [Theory]
    [InlineData(0, "0B")]
    [InlineData(12, "12B")]
    [InlineData(2_141_255, "2.141MB")]
    [InlineData(1_234_567_890, "1.235GB")]
    public void Sizes_with_precision_4_match_podman_system_df(long bytes, string expected)
    {
        Assert.Equal(expected, Humanize.Size(bytes, 4));
    }
}

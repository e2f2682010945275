using Skiff.Core.Errors;
using Skiff.Runtime.Logs;

namespace Skiff.Tests.Unit.Logs;

public sealed class LogOptionsTests
{
    [Theory]
    [InlineData("1m", 1_000_000L)]
    [InlineData("1k", 1_000L)]
    [InlineData("10", 10L)]
    [InlineData("1.5m", 1_500_000L)]
    [InlineData("10mb", 10_000_000L)]
    [InlineData("1MiB", 1_000_000L)]
    [InlineData("2G", 2_000_000_000L)]
    [InlineData("3 kB", 3_000L)]
    public void Max_size_is_go_units_FromHumanSize_in_powers_of_1000_as_podman(string text, long bytes) =>
        Assert.Equal(bytes, LogOptions.Parse([$"max-size={text}"], "/").MaxSize);

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("")]
    [InlineData("1x")]
    [InlineData("m")]
    public void An_unreadable_size_is_podmans_invalid_size(string text)
    {
        var e = Assert.Throws<SkiffException>(() => LogOptions.Parse([$"max-size={text}"], "/"));
        Assert.Equal($"invalid size: '{text}'", e.Message);
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void An_option_without_a_value_is_podmans_invalid_log_option()
    {
        var e = Assert.Throws<SkiffException>(() => LogOptions.Parse(["bogus"], "/"));
        Assert.Equal("invalid log option \"bogus\"", e.Message);
    }

    [Fact]
    public void Path_tag_and_max_file_are_kept_unknown_names_ignored_and_a_later_option_wins()
    {
        LogOptions options = LogOptions.Parse(["path=logs/web.log", "TAG={{.Name}}", "max-file=3", "bogus=1", "max-size=1k", "max-size=2k"], "/home/u");

        Assert.Equal(new LogOptions { Path = "/home/u/logs/web.log", Tag = "{{.Name}}", MaxFiles = 3, MaxSize = 2_000 }, options);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("x")]
    public void Max_file_is_a_whole_number_of_at_least_one(string text) =>
        Assert.Throws<SkiffException>(() => LogOptions.Parse([$"max-file={text}"], "/"));

    [Fact]
    public void Nothing_given_is_nothing_set() => Assert.Equal(new LogOptions(), LogOptions.Parse([], "/"));
}

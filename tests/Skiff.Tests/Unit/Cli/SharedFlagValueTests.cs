using Skiff.Cli.Flags;
using Skiff.Core.Errors;

namespace Skiff.Tests.Unit.Cli;

/// <summary>Flag values several commands share: the filters <c>label=KEY[=VALUE]</c> and <c>until=</c>, and <c>--label</c>/<c>--opt</c> KEY=VALUE lists.</summary>
public sealed class SharedFlagValueTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = string.Empty, ["a=b"] = "c" };

    [Theory]
    [InlineData("app", true)]
    [InlineData("app=web", true)]
    [InlineData("app=db", false)]
    [InlineData("app=", false)]
    [InlineData("tier", true)]
    [InlineData("tier=", true)]
    [InlineData("missing", false)]
    [InlineData("App", false)]
    [InlineData("a=b=c", false)]
    public void A_label_filter_needs_the_key_and_its_value_when_given(string filter, bool matches) =>
        Assert.Equal(matches, LabelFilter.Matches(Labels, filter));

    [Theory]
    [InlineData("2026-12-01T08:00:00Z", "2026-12-01T08:00:00Z")]
    [InlineData("2026-12-01", "2026-12-01T00:00:00Z")]
    [InlineData("1764576000", "2025-12-01T08:00:00Z")]
    [InlineData("10m", "2026-12-02T07:50:00Z")]
    [InlineData("1.5h", "2026-12-02T06:30:00Z")]
    [InlineData("30s", "2026-12-02T07:59:30Z")]
    public void Until_takes_a_time_unix_seconds_or_a_duration_ago(string value, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), UntilFilter.Parse(value, Now));

    [Theory]
    [InlineData("soon")]
    [InlineData("10d")]
    [InlineData("h")]
    [InlineData("-5")]
    public void A_bad_until_is_refused_with_the_forms_it_takes(string value)
    {
        var e = Assert.Throws<SkiffException>(() => UntilFilter.Parse(value, Now));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal($"invalid until filter \"{value}\"", e.Message);
        Assert.Contains("duration such as 10m", e.Hint);
    }

    [Fact]
    public void Key_value_flags_split_at_the_first_equals_and_a_later_key_wins()
    {
        Dictionary<string, string> pairs = KeyValueFlags.Parse(["app=web", "url=a=b", "bare", "empty=", "app=db"]);
        Assert.Equal(
            new Dictionary<string, string> { ["app"] = "db", ["url"] = "a=b", ["bare"] = string.Empty, ["empty"] = string.Empty },
            pairs);
        Assert.Empty(KeyValueFlags.Parse([]));
    }
}

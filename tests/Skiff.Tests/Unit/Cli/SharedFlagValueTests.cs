using Skiff.Cli.Flags;

namespace Skiff.Tests.Unit.Cli;

/// <summary>Flag values several commands share: the filter <c>label=KEY[=VALUE]</c> (<c>until=</c>: UntilFilterTests), and <c>--label</c>/<c>--opt</c> KEY=VALUE lists.</summary>
public sealed class SharedFlagValueTests
{
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

using Skiff.Core.Errors;
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

    [Fact]
    public void Key_value_files_skip_blank_and_comment_lines_and_trim_as_asked()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["  a=1 ", "", "   ", "# comment", "  #also", "b= 2"]);
            Assert.Equal(["a=1 ", "b= 2"], KeyValueFlags.ReadLabelFiles([file]));
            Assert.Equal(["a=1", "b= 2"], KeyValueFlags.ReadFiles([file], "--env-file", l => l.Trim(), f => f));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void An_unreadable_key_value_file_is_one_error_naming_the_file_and_the_flag()
    {
        string missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));
        SkiffException e = Assert.Throws<SkiffException>(() => KeyValueFlags.ReadLabelFiles([missing]));
        Assert.Equal($"reading --label-file \"{missing}\": open {missing}: no such file or directory", e.Message);
        Assert.Equal("give --label-file a readable file of KEY=VALUE lines", e.Hint);
    }
}

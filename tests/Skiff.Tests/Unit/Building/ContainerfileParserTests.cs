using Skiff.Core.Errors;
using Skiff.Images.Building;

namespace Skiff.Tests.Unit.Building;

public sealed class ContainerfileParserTests
{
    [Fact]
    public void Continuations_comments_and_keywords_are_read_as_docker_does()
    {
        Containerfile file = ContainerfileParser.Parse(
            "# a comment\nfrom busybox\n\nRUN echo a \\\n    && echo b\n# inside\nrun echo c \\\n# comment in a continuation\n  d\n");
        Assert.Equal(["FROM", "RUN", "RUN"], file.Instructions.Select(i => i.Keyword));
        Assert.Equal("echo a     && echo b", file.Instructions[1].Arguments);
        Assert.Equal("echo c   d", file.Instructions[2].Arguments);
        Assert.Equal(4, file.Instructions[1].Line);
        Assert.Equal('\\', file.Escape);
    }

    [Fact]
    public void The_escape_directive_changes_the_continuation_character()
    {
        Containerfile file = ContainerfileParser.Parse("# escape=`\nFROM busybox\nCOPY a \\b `\n  c:\\d\n");
        Assert.Equal('`', file.Escape);
        Assert.Equal("a \\b   c:\\d", file.Instructions[1].Arguments);
    }

    [Fact]
    public void A_directive_after_a_comment_is_a_comment()
    {
        Containerfile file = ContainerfileParser.Parse("# hello\n# escape=`\nFROM busybox\nRUN a \\\n b\n");
        Assert.Equal('\\', file.Escape);
        Assert.Equal("a  b", file.Instructions[1].Arguments);
        Assert.Throws<SkiffException>(() => ContainerfileParser.Parse("# escape=x\nFROM a\n"));
    }

    [Fact]
    public void Flags_are_split_off_and_json_forms_recognised()
    {
        Containerfile file = ContainerfileParser.Parse("FROM a\nCOPY --chown=1:2 --chmod=644 x y/\nCMD [\"sh\", \"-c\", \"echo hi\"]\nCMD [not json\nENV --x=1\n");
        BuildInstruction copy = file.Instructions[1];
        Assert.Equal("1:2", copy.Flag("chown"));
        Assert.Equal("644", copy.Flag("chmod"));
        Assert.Equal("x y/", copy.Arguments);
        Assert.Equal(["sh", "-c", "echo hi"], file.Instructions[2].ExecForm!);
        Assert.Null(file.Instructions[3].ExecForm);
        Assert.Empty(file.Instructions[4].Flags);
    }

    [Fact]
    public void Heredocs_are_a_clear_error()
    {
        var e = Assert.Throws<SkiffException>(() => ContainerfileParser.Parse("FROM a\nRUN <<EOF\necho\nEOF\n"));
        Assert.Contains("heredocs", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, ContainerfileParser.Parse("FROM a\nRUN echo '<<EOF'\n").Instructions.Count);
    }

    [Theory]
    [InlineData("$A", "1")]
    [InlineData("${A}x", "1x")]
    [InlineData("${NONE:-dflt}", "dflt")]
    [InlineData("${A:-dflt}", "1")]
    [InlineData("${A:+alt}", "alt")]
    [InlineData("${NONE:+alt}", "")]
    [InlineData("${EMPTY:-d}", "d")]
    [InlineData("${EMPTY-d}", "")]
    [InlineData("'$A'", "$A")]
    [InlineData("\"$A b\"", "1 b")]
    [InlineData("\\$A", "$A")]
    [InlineData("a\\ b", "a b")]
    [InlineData("\"x\\\"y\"", "x\"y")]
    [InlineData("$", "$")]
    [InlineData("${NONE:-${A}2}", "12")]
    public void Variables_are_substituted_as_docker_does(string text, string expected)
    {
        var values = new Dictionary<string, string> { ["A"] = "1", ["EMPTY"] = string.Empty };
        var expander = new WordExpander(name => values.TryGetValue(name, out string? v) ? v : null);
        Assert.Equal(expected, expander.Word(text));
    }

    [Fact]
    public void Words_split_at_whitespace_outside_quotes()
    {
        var expander = new WordExpander(name => name == "V" ? "x y" : null);
        Assert.Equal(["A=1", "B=two words", "C=x y"], expander.Words("A=1 B=\"two words\"   C=$V"));
        Assert.Equal(["a b", "c"], new WordExpander(_ => null, '`').Words("a` b c"));
    }

    [Fact]
    public void Ignore_patterns_follow_dockers_rules()
    {
        IgnorePatterns ignore = IgnorePatterns.Parse("# comment\n*.log\n/build\n**/tmp\nsecret*\n!secret.keep\ndocs/**/*.md\n!docs/keep.md\n");
        Assert.True(ignore.Excluded("a.log"));
        Assert.False(ignore.Excluded("sub/a.log"));
        Assert.True(ignore.Excluded("build"));
        Assert.True(ignore.Excluded("build/x/y"));
        Assert.True(ignore.Excluded("tmp"));
        Assert.True(ignore.Excluded("a/b/tmp/c"));
        Assert.True(ignore.Excluded("secret.txt"));
        Assert.False(ignore.Excluded("secret.keep"));
        Assert.True(ignore.Excluded("docs/x.md"));
        Assert.True(ignore.Excluded("docs/a/b/x.md"));
        Assert.False(ignore.Excluded("docs/keep.md"));
        Assert.False(ignore.Excluded("src/main.c"));
        Assert.True(ignore.HasExceptions);
        Assert.False(IgnorePatterns.None.Excluded("anything"));
    }

    [Fact]
    public void An_excluded_directory_can_bring_back_a_file_below_it()
    {
        IgnorePatterns ignore = IgnorePatterns.Parse("dir\n!dir/keep\n[ab].txt\n");
        Assert.True(ignore.Excluded("dir"));
        Assert.True(ignore.Excluded("dir/other"));
        Assert.False(ignore.Excluded("dir/keep"));
        Assert.True(ignore.Excluded("a.txt"));
        Assert.False(ignore.Excluded("c.txt"));
    }
}

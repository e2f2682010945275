using Skiff.Cli.Output;
using Skiff.Cli.Output.Templates;

namespace Skiff.Tests.Unit.Output;

public class GoTemplateTests
{
    private static TemplateObject Image()
    {
        var config = new TemplateObject("define.ImageConfig")
        {
            ["Env"] = new List<object?> { "PATH=/bin", "A=1" },
            ["Cmd"] = new List<object?> { "sh" },
            ["Entrypoint"] = NilValue.List,
            ["Labels"] = TemplateMap.OfStrings(new Dictionary<string, string> { ["b"] = "2", ["a"] = "1", ["org.x"] = "y" }),
        };
        return new TemplateObject("images.imageReporter")
        {
            ["Repository"] = "docker.io/library/busybox",
            ["Tag"] = "latest",
            ["Size"] = 4_261_550L,
            ["Names"] = new List<object?> { "a:1", "b:2" },
            ["Empty"] = new List<object?>(),
            ["Config"] = config,
            ["Dangling"] = false,
        };
    }

    private static string Run(string template, object? data = null) => GoTemplate.Parse("t", template).Execute(data ?? Image());

    [Theory]
    [InlineData("{{.Repository}}:{{.Tag}}", "docker.io/library/busybox:latest")]
    [InlineData("{{ .Tag }}", "latest")]
    [InlineData("{{.Size}}", "4261550")]
    [InlineData("{{.Config.Env}}", "[PATH=/bin A=1]")]
    [InlineData("{{.Config.Entrypoint}}", "[]")]
    [InlineData("{{.Config.Labels}}", "map[a:1 b:2 org.x:y]")]
    [InlineData("{{.Config.Labels.a}}", "1")]
    [InlineData("{{.Config.Labels.missing}}", "<no value>")]
    [InlineData("{{index .Config.Labels \"org.x\"}}", "y")]
    [InlineData("{{index .Config.Labels \"missing\"}}", "")]
    [InlineData("{{index .Names 1}}", "b:2")]
    [InlineData("{{json .Names}}", "[\"a:1\",\"b:2\"]")]
    [InlineData("{{json .Config.Labels}}", "{\"a\":\"1\",\"b\":\"2\",\"org.x\":\"y\"}")]
    [InlineData("{{json .Config.Entrypoint}}", "null")]
    [InlineData("{{.Names | json}}", "[\"a:1\",\"b:2\"]")]
    [InlineData("{{join .Names \", \"}}", "a:1, b:2")]
    [InlineData("{{.Tag | printf \"%s!\"}}", "latest!")]
    [InlineData("{{printf \"%-8s|%5d|%05d|%q|%v|%x\" .Tag .Size 42 \"a\\tb\" .Dangling 255}}", "latest  |4261550|00042|\"a\\tb\"|false|ff")]
    [InlineData("{{printf \"%s\"}}", "%!s(MISSING)")]
    [InlineData("{{range .Names}}[{{.}}]{{end}}", "[a:1][b:2]")]
    [InlineData("{{range $i, $n := .Names}}{{$i}}={{$n}};{{end}}", "0=a:1;1=b:2;")]
    [InlineData("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}},{{end}}", "a=1,b=2,org.x=y,")]
    [InlineData("{{range .Empty}}x{{else}}none{{end}}", "none")]
    [InlineData("{{range .Names}}{{if eq . \"b:2\"}}{{break}}{{end}}{{.}}{{end}}", "a:1")]
    [InlineData("{{range .Names}}{{if eq . \"a:1\"}}{{continue}}{{end}}{{.}}{{end}}", "b:2")]
    [InlineData("{{if .Dangling}}yes{{else}}no{{end}}", "no")]
    [InlineData("{{if .Dangling}}a{{else if .Names}}b{{else}}c{{end}}", "b")]
    [InlineData("{{if and .Names (not .Dangling)}}ok{{end}}", "ok")]
    [InlineData("{{if or .Empty .Dangling}}x{{else}}y{{end}}", "y")]
    [InlineData("{{with .Config}}{{.Cmd}}{{end}}", "[sh]")]
    [InlineData("{{with .Empty}}x{{else}}empty{{end}}", "empty")]
    [InlineData("{{$t := .Tag}}{{range .Names}}{{$t}}{{end}}", "latestlatest")]
    [InlineData("{{$.Tag}}", "latest")]
    [InlineData("{{upper .Tag}} {{lower \"AbC\"}} {{title \"hello world-x\"}}", "LATEST abc Hello World-X")]
    [InlineData("{{truncate .Repository 9}}", "docker.io")]
    [InlineData("[{{pad \"x\" 1 2}}]", "[ x  ]")]
    [InlineData("{{split \"a,b\" \",\"}}", "[a b]")]
    [InlineData("{{len .Names}} {{len .Config.Labels}} {{len \"abc\"}}", "2 3 3")]
    [InlineData("{{slice .Repository 0 6}}", "docker")]
    [InlineData("{{print 1 2 \"a\" 3}}", "1 2a3")]
    [InlineData("{{gt .Size 1000}} {{lt 1 2}} {{ne .Tag \"x\"}} {{eq .Tag \"a\" \"latest\"}}", "true true true true")]
    [InlineData("a  {{- .Tag -}}  b", "alatestb")]
    [InlineData("a{{/* a comment */}}b", "ab")]
    [InlineData("{{(index .Names 0)}}", "a:1")]
    [InlineData("{{.Config.Labels.a | printf \"%s-%s\" \"x\"}}", "x-1")]
    [InlineData("{{`raw\\n`}}", "raw\\n")]
    [InlineData("{{.Dangling}} {{true}} {{nil}}", "false true <no value>")]
    [InlineData("{{if and .Dangling .Nope}}x{{else}}short{{end}}", "short")]
    [InlineData("{{or .Tag .Nope}} {{and .Tag .Repository}} {{or .Empty \"\" 0}}", "latest docker.io/library/busybox 0")]
    [InlineData("{{.Dangling | or .Tag}}", "latest")]
    public void Executes_like_go(string template, string expected)
    {
        Assert.Equal(expected, Run(template));
    }

    [Fact]
    public void Json_of_dot_keeps_field_order()
    {
        var row = new TemplateObject("r") { ["ID"] = "abc", ["Size"] = 3L, ["Tags"] = new List<object?> { "x" }, ["Html"] = "<a&b>" };
        Assert.Equal("{\"ID\":\"abc\",\"Size\":3,\"Tags\":[\"x\"],\"Html\":\"<a&b>\"}", Run("{{json .}}", row));
    }

    [Fact]
    public void Prints_a_struct_like_go()
    {
        var row = new TemplateObject("r") { ["A"] = "x", ["B"] = 2L, ["C"] = new List<object?> { "y" } };
        Assert.Equal("{x 2 [y]}", Run("{{.}}", row));
    }

    [Fact]
    public void Prints_times_like_go()
    {
        var row = new TemplateObject("r") { ["Created"] = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1_234_500) };
        Assert.Equal("2024-01-02 03:04:05.12345 +0000 UTC", Run("{{.Created}}", row));
        Assert.Equal("\"2024-01-02T03:04:05.12345Z\"", Run("{{json .Created}}", row));
    }

    [Theory]
    [InlineData("{{.Created.Unix}} {{.Created.UnixMilli}} {{.Created.IsZero}}", "1704207845 1704207845123 false")]
    [InlineData("{{.Created.Year}}-{{.Created.Month}}-{{.Created.Day}} {{.Created.Weekday}} {{.Created.YearDay}}", "2024-January-2 Tuesday 2")]
    [InlineData("{{.Created.Format \"2006-01-02T15:04:05Z07:00\"}}", "2024-01-02T15:04:05Z")]
    [InlineData("{{.Created.Format \"Mon Jan _2 3:4:5 PM MST 06 -0700\"}}", "Tue Jan  2 3:4:5 PM UTC 24 +0000")]
    [InlineData("{{.Created.Format \"15:04:05.000 .999999 .9 002\"}}", "15:04:05.123 .12345 .1 002")]
    [InlineData("{{\"Jan 2\" | .Created.Format}}", "Jan 2")]
    [InlineData("{{$c := .Created}}{{$c.Format \"January 2, 2006\"}}", "January 2, 2024")]
    [InlineData("{{.Created.Nope}}", "template: t:1:10: executing \"t\" at <.Created.Nope>: can't evaluate field Nope in type time.Time")]
    public void Times_have_gos_methods(string template, string expected)
    {
        var row = new TemplateObject("r") { ["Created"] = new DateTimeOffset(2024, 1, 2, 15, 4, 5, TimeSpan.Zero).AddTicks(1_234_500) };
        string actual;
        try
        {
            actual = Run(template, row);
        }
        catch (TemplateException e)
        {
            actual = e.Message;
        }

        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("{{.Foo}}", "template: t:1:2: executing \"t\" at <.Foo>: can't evaluate field Foo in type images.imageReporter")]
    [InlineData("x\n{{.Config.Nope}}", "template: t:2:9: executing \"t\" at <.Config.Nope>: can't evaluate field Nope in type define.ImageConfig")]
    [InlineData("{{.Tag", "template: t:1: unclosed action")]
    [InlineData("{{range .Names}}", "template: t:1: unexpected EOF")]
    [InlineData("{{foo .Tag}}", "template: t:1: function \"foo\" not defined")]
    [InlineData("{{end}}", "template: t:1: unexpected {{end}}")]
    [InlineData("{{join .Names}}", "template: t:1:2: executing \"t\" at <join .Names>: error calling join: wrong number of args for join: want 2 got 1")]
    [InlineData("{{.Tag 1}}", "template: t:1:2: executing \"t\" at <.Tag>: can't give argument to non-function .Tag")]
    [InlineData("{{$x}}", "template: t:1: undefined variable \"$x\"")]
    [InlineData("{{and .Tag .Nope}}", "template: t:1:11: executing \"t\" at <.Nope>: can't evaluate field Nope in type images.imageReporter")]
    [InlineData("{{break}}", "template: t:1: {{break}} outside {{range}}")]
    [InlineData("{{\"abc}}", "template: t:1: unterminated quoted string")]
    public void Reports_errors_like_go(string template, string expected)
    {
        TemplateException error = Assert.Throws<TemplateException>(() => Run(template));
        Assert.Equal(expected, error.Message);
    }
}

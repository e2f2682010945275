using Skiff.Cli.Output;

namespace Skiff.Tests.Unit.Output;

public class OutputFormatTests
{
    private const string DefaultTable = "table {{.Repository}}\\t{{.Tag}}\\t{{.ID}}\\t{{.CreatedSince}}\\t{{.Size}}";

    private static readonly TemplateObject Header = TableHeader.Build(
        "images.imageReporter",
        ["Repository", "Tag", "ID", "CreatedSince", "Size", "Names"],
        new Dictionary<string, string> { ["ID"] = "IMAGE ID", ["CreatedSince"] = "CREATED" });

    private static TemplateObject Row(string repository, string tag, string id, string created, string size) => new("images.imageReporter")
    {
        ["Repository"] = repository,
        ["Tag"] = tag,
        ["ID"] = id,
        ["CreatedSince"] = created,
        ["Size"] = size,
        ["Names"] = new List<object?> { repository + ":" + tag },
    };

    private static readonly TemplateObject[] Rows =
    [
        Row("docker.io/library/busybox", "latest", "a416a98b71e2", "2 weeks ago", "4.26MB"),
        Row("localhost/x", "1", "0123456789ab", "About a minute ago", "512B"),
    ];

    [Fact]
    public void Default_table_is_aligned_like_docker()
    {
        string expected =
            "REPOSITORY                  TAG       IMAGE ID       CREATED              SIZE\n" +
            "docker.io/library/busybox   latest    a416a98b71e2   2 weeks ago          4.26MB\n" +
            "localhost/x                 1         0123456789ab   About a minute ago   512B\n";
        Assert.Equal(expected, OutputFormat.Parse(null, DefaultTable, "images").Render(Rows, Header));
        Assert.Equal(expected, OutputFormat.Parse("table", DefaultTable, "images").Render(Rows, Header));
    }

    [Fact]
    public void Table_with_no_rows_prints_the_header()
    {
        Assert.Equal("REPOSITORY   TAG\n", OutputFormat.Parse("table {{.Repository}}\\t{{.Tag}}", DefaultTable, "images").Render([], Header));
    }

    [Fact]
    public void Custom_table_gets_titles_from_field_names()
    {
        string expected =
            "IMAGE ID       NAMES\n" +
            "a416a98b71e2   docker.io/library/busybox:latest\n" +
            "0123456789ab   localhost/x:1\n";
        Assert.Equal(expected, OutputFormat.Parse("table {{.ID}}\\t{{join .Names \",\"}}", DefaultTable, "images").Render(Rows, Header));
    }

    [Fact]
    public void Plain_template_prints_one_line_per_row_without_header()
    {
        Assert.Equal(
            "docker.io/library/busybox:latest\nlocalhost/x:1\n",
            OutputFormat.Parse("{{.Repository}}:{{.Tag}}", DefaultTable, "images").Render(Rows, Header));
    }

    [Fact]
    public void Escaped_tabs_and_newlines_become_real_ones()
    {
        Assert.Equal(
            "latest\ta416a98b71e2\n1\t0123456789ab\n",
            OutputFormat.Parse("{{.Tag}}\\t{{.ID}}\\n", DefaultTable, "images").Render(Rows, Header));
    }

    [Fact]
    public void Json_is_recognised()
    {
        Assert.True(OutputFormat.Parse("json", DefaultTable, "images").IsJson);
        Assert.False(OutputFormat.Parse("{{json .}}", DefaultTable, "images").IsJson);
    }

    [Theory]
    [InlineData("Repository", "REPOSITORY")]
    [InlineData("CreatedAt", "CREATED AT")]
    [InlineData("ID", "ID")]
    [InlineData("RepoDigests", "REPO DIGESTS")]
    [InlineData("ContainerID", "CONTAINER ID")]
    public void Derives_titles(string field, string title)
    {
        Assert.Equal(title, TableHeader.Derive(field));
    }
}

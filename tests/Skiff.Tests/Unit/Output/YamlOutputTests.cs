using Skiff.Cli.Output;
using Skiff.Cli.Output.Templates;

namespace Skiff.Tests.Unit.Output;

public class YamlOutputTests
{
    [Fact]
    public void Lays_out_nested_objects_and_lists_like_podman_info()
    {
        var info = new TemplateObject("define.Info")
        {
            ["host"] = new TemplateObject("h")
            {
                ["rootless"] = true,
                ["idMappings"] = new TemplateObject("m")
                {
                    ["uidmap"] = new List<object?> { new TemplateObject("i") { ["container_id"] = 0L, ["host_id"] = 1001L, ["size"] = 1L } },
                    ["gidmap"] = NilValue.List,
                },
            },
            ["store"] = new TemplateObject("s") { ["graphRoot"] = "/x", ["empty"] = string.Empty, ["tags"] = new List<object?> { "a" } },
        };
        string expected =
            "host:\n" +
            "  rootless: true\n" +
            "  idMappings:\n" +
            "    uidmap:\n" +
            "    - container_id: 0\n" +
            "      host_id: 1001\n" +
            "      size: 1\n" +
            "    gidmap: null\n" +
            "store:\n" +
            "  graphRoot: /x\n" +
            "  empty: \"\"\n" +
            "  tags:\n" +
            "  - a\n";
        Assert.Equal(expected, YamlOutput.Serialize(info));
    }

    [Fact]
    public void Go_field_names_reach_lower_case_keys_but_exact_names_win()
    {
        var info = new TemplateObject("define.Info") { ["store"] = new TemplateObject("s") { ["graphRoot"] = "/x" }, ["ID"] = "a", ["Id"] = "b" };
        Assert.Equal("/x a b", GoTemplate.Parse("t", "{{.Store.GraphRoot}} {{.ID}} {{.Id}}").Execute(info));
        Assert.Throws<TemplateException>(() => GoTemplate.Parse("t", "{{.Nope}}").Execute(info));
    }
}

using System.Text.Json;
using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Output;
using Skiff.Cli.Output.Templates;
using Skiff.Runtime.Lifecycle;
using Xunit;

namespace Skiff.Tests.Unit.Cli;

/// <summary>inspect's --format values and JSON as podman 4.3 prints them (expected values taken from podman on this machine).</summary>
public sealed class ContainerInspectViewTests
{
    private static readonly DateTimeOffset Created = new(2026, 12, 1, 16, 17, 19, 670, TimeSpan.Zero);

    private static readonly ContainerStore Store = new("/var/lib/skiff-test", "/run/skiff-test");

    private static ContainerConfig Config() => new()
    {
        Id = "d0e249c7e101" + new string('a', 52),
        Name = "c1",
        Created = Created,
        Image = "localhost/busybox:latest",
        ImageId = "sha256:" + new string('7', 64),
        Runtime = "/usr/bin/runc",
        Cmd = ["sleep", "100"],
        Labels = new Dictionary<string, string> { ["x"] = "y", ["app"] = "web" },
        Mounts = [new ContainerMount("bind", "/tmp", "/data", null, ["rbind"]), new ContainerMount("volume", "/v/data", "/db", "dbdata", ["ro"])],
        Ports = [new PublishedPort { HostPort = 18090, ContainerPort = 80 }],
        NetworkMode = "bridge",
        NetworkEndpoints = [new NetworkEndpoint { Network = "front", NetworkId = "f1", IPAddress = "10.89.0.2", PrefixLength = 24, Gateway = "10.89.0.1", Bridge = "skiff1" }],
    };

    private static readonly ContainerState Exited = new()
    {
        Status = ContainerStatus.Exited,
        ExitCode = 3,
        StartedAt = Created.AddSeconds(1),
        FinishedAt = Created.AddSeconds(2),
    };

    private static string Render(string template, ContainerState? state = null) =>
        OutputFormat.Parse(template, "{{json .}}", "inspect").RenderOne(ContainerInspectView.Build(Config(), state ?? new ContainerState(), Store));

    [Theory]
    [InlineData("{{range .Mounts}}{{.Source}}:{{.Destination}} {{end}}", "/tmp:/data /v/data:/db \n")]
    [InlineData("{{index .Config.Labels \"app\"}}", "web\n")]
    [InlineData("{{.Config.Labels.app}}|{{.Config.Labels.nope}}", "web|<no value>\n")]
    [InlineData("{{.Config.Labels}}", "map[app:web x:y]\n")]
    [InlineData("{{.State.Status}} {{.State.ExitCode}}", "exited 3\n")]
    [InlineData("{{if .State.Running}}up{{else}}down{{end}}", "down\n")]
    [InlineData("{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}}{{end}}", "front=10.89.0.2\n")]
    [InlineData("{{join .Config.Cmd \" \"}}|{{.Config.Cmd}}|{{.Args}}|{{.Path}}", "sleep 100|[sleep 100]|[100]|sleep\n")]
    [InlineData("{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}", "0 0\n")]
    [InlineData("{{printf \"%s\" .Name}} {{upper .Name}} {{title .State.Status}} {{len .Mounts}}", "c1 C1 Exited 2\n")]
    [InlineData("{{.Created}}|{{.State.StartedAt}}|{{.State.FinishedAt}}", "2026-12-01 16:17:19.67 +0000 UTC|2026-12-01 16:17:20.67 +0000 UTC|2026-12-01 16:17:21.67 +0000 UTC\n")]
    [InlineData("{{.Created.Unix}} {{.State.StartedAt.Unix}}", "1796141839 1796141840\n")]
    [InlineData("{{json .Created}}", "\"2026-12-01T16:17:19.67Z\"\n")]
    [InlineData("{{.NetworkSettings.Ports}}", "map[80/tcp:[{ 18090}]]\n")]
    [InlineData("{{json .NetworkSettings.Ports}}", "{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"18090\"}]}\n")]
    [InlineData("{{.Config.StopSignal}} {{.ID}} {{.Id | printf \"%.4s\"}}", "15 d0e249c7e101aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa d0e2\n")]
    [InlineData("{{range .Mounts}}{{if eq .Type \"volume\"}}{{.Name}}{{end}}{{end}}", "dbdata\n")]
    public void Templates_read_podmans_fields(string template, string expected)
    {
        Assert.Equal(expected, Render(template, Exited));
    }

    [Fact]
    public void A_container_that_never_ran_has_go_zero_times()
    {
        Assert.Equal("0001-01-01 00:00:00 +0000 UTC -62135596800\n", Render("{{.State.StartedAt}} {{.State.FinishedAt.Unix}}"));
        Assert.Equal("\"0001-01-01T00:00:00Z\"\n", Render("{{json .State.StartedAt}}"));
    }

    [Fact]
    public void Unknown_fields_fail_with_gos_message()
    {
        var error = Assert.Throws<TemplateException>(() => Render("{{.State.Nope}}"));
        Assert.Equal("template: inspect:1:8: executing \"inspect\" at <.State.Nope>: can't evaluate field Nope in type *define.InspectContainerState", error.Message);
    }

    [Fact]
    public void Json_keeps_docker_field_order_and_podman_types()
    {
        string json = JsonOutput.Serialize(new List<object?> { ContainerInspectView.Build(Config(), Exited, Store) }, indented: true, indentSize: JsonOutput.InspectIndent);
        Assert.StartsWith("[\n     {\n          \"Id\": \"d0e249c7e101", json);
        JsonElement root = JsonDocument.Parse(json).RootElement[0];
        Assert.Equal(["Id", "Created", "Path", "Args", "State"], root.EnumerateObject().Take(5).Select(p => p.Name));
        Assert.Equal("2026-12-01T16:17:19.67Z", root.GetProperty("Created").GetString());
        Assert.Equal(15, root.GetProperty("Config").GetProperty("StopSignal").GetInt32());
        Assert.Equal("{\"app\":\"web\",\"x\":\"y\"}", root.GetProperty("Config").GetProperty("Labels").GetRawText().Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal));
        Assert.Equal(3, root.GetProperty("State").GetProperty("ExitCode").GetInt32());
        Assert.Equal("/var/lib/skiff-test/containers/" + Config().Id + "/ctr.log", root.GetProperty("LogPath").GetString());
        Assert.Equal("18090", root.GetProperty("HostConfig").GetProperty("PortBindings").GetProperty("80/tcp")[0].GetProperty("HostPort").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("NetworkSettings").GetProperty("Networks").GetProperty("front").GetProperty("IPAMConfig").ValueKind);
    }

    [Fact]
    public void Json_times_are_rfc3339_without_trailing_zeros()
    {
        Assert.Equal("2026-12-01T16:17:19.67Z", ContainerView.Rfc3339(Created));
    }
}

using System.Text.Json;
using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Output;
using Skiff.Cli.Output.Templates;
using Skiff.Runtime.Lifecycle;
using Xunit;

namespace Skiff.Tests.Unit.Cli;

/// <summary>ps's --format fields, table and JSON as podman 4.3 prints them (expected values taken from podman on this machine).</summary>
public sealed class PsRowTests
{
    private const string DefaultTable = "table {{.ID}}\\t{{.Image}}\\t{{.Command}}\\t{{.CreatedHuman}}\\t{{.Status}}\\t{{.Ports}}\\t{{.Names}}";

    private static readonly DateTimeOffset Created = new(2026, 12, 1, 18, 42, 1, 360, TimeSpan.Zero);

    private static ContainerConfig Config(string name = "c1", IReadOnlyList<string>? cmd = null) => new()
    {
        Id = "d0e249c7e101" + new string('a', 52),
        Name = name,
        Created = Created,
        Image = "localhost/busybox:latest",
        ImageId = "sha256:77f9985578b4" + new string('0', 52),
        Runtime = "runc",
        Cmd = cmd ?? ["sleep", "100"],
        Labels = name == "c1" ? new Dictionary<string, string> { ["x"] = "y", ["app"] = "web" } : new Dictionary<string, string>(),
        Mounts = name == "c1" ? [new ContainerMount("bind", "/tmp", "/data", null, ["rbind"])] : [],
        Ports = name == "c1" ? [new PublishedPort { HostPort = 18090, ContainerPort = 80 }] : [],
    };

    private static readonly ContainerState Running = new() { Status = ContainerStatus.Running, Pid = 16044, StartedAt = Created.AddSeconds(1) };

    private static string Render(string format, params (ContainerConfig Config, ContainerState State)[] rows) =>
        OutputFormat.Parse(format, DefaultTable, "ps").Render(
            rows.Select(r => (object?)PsRow.Build(r.Config, r.State, Created.AddSeconds(21), noTrunc: false)),
            TableHeader.Build(PsRow.TypeName, PsRow.Fields, PsRow.Titles));

    [Theory]
    [InlineData("{{.ID}} {{.Names}} {{.Image}} {{.ImageID}}", "d0e249c7e101 c1 localhost/busybox:latest 77f9985578b4")]
    [InlineData("{{.Command}}|{{.Status}}|{{.State}}|{{.Ports}}", "sleep 100|Created|created|0.0.0.0:18090->80/tcp")]
    [InlineData("{{.CreatedAt}}|{{.Created}}", "2026-12-01 18:42:01.36 +0000 UTC|2026-12-01 18:42:01.36 +0000 UTC")]
    [InlineData("{{.CreatedHuman}}|{{.RunningFor}}", "21 seconds ago|21 seconds ago")]
    [InlineData("{{.Labels}}|{{.Labels.app}}|{{index .Labels \"x\"}}|{{.Mounts}}|{{.Networks}}", "map[app:web x:y]|web|y|[/data]|")]
    [InlineData("{{.Pid}} {{.Exited}} {{.ExitCode}} {{.ExitedAt}} {{.StartedAt}} {{.AutoRemove}} {{.IsInfra}}", "0 false 0 -62135596800 -62135596800 false false")]
    [InlineData("{{.Pod}}|{{.PodName}}|{{.Namespaces}}|{{.User}}", "||{      }|")]
    [InlineData("{{range $k, $v := .Labels}}{{$k}}={{$v}};{{end}}", "app=web;x=y;")]
    [InlineData("{{if eq .State \"created\"}}new{{else}}old{{end}} {{upper .Names}} {{truncate .ID 4}} {{.Created.Unix}}", "new C1 d0e2 1796150521")]
    public void Fields_print_as_in_podman(string format, string expected)
    {
        Assert.Equal(expected + "\n", Render(format, (Config(), new ContainerState())));
    }

    [Fact]
    public void Running_and_exited_rows()
    {
        var exited = new ContainerState { Status = ContainerStatus.Exited, ExitCode = 3, StartedAt = Created, FinishedAt = Created.AddSeconds(6) };
        Assert.Equal(
            "Up 20 seconds ago|running|16044|1796150522\nExited (3) 15 seconds ago|exited|0|1796150527\n",
            Render("{{.Status}}|{{.State}}|{{.Pid}}|{{if .Exited}}{{.ExitedAt}}{{else}}{{.StartedAt}}{{end}}", (Config("c2"), Running), (Config("c3"), exited)));
        Assert.Equal("Paused\n", Render("{{.Status}}", (Config(), new ContainerState { Status = ContainerStatus.Paused, StartedAt = Created })));
        // podman 4.3's row of a container `init` created in the runtime: its init's pid, not started.
        Assert.Equal("Initialized|initialized|16050\n", Render("{{.Status}}|{{.State}}|{{.Pid}}", (Config(), new ContainerState { Status = ContainerStatus.Initialized, Pid = 16050 })));
    }

    [Fact]
    public void The_health_status_follows_the_status_as_podman_prints_it()
    {
        DateTimeOffset now = Created.AddSeconds(21);
        var exited = new ContainerState { Status = ContainerStatus.Exited, ExitCode = 137, FinishedAt = Created.AddSeconds(19) };

        Assert.Equal("Up 20 seconds ago (healthy)", PsRow.Build(Config(), Running, now, noTrunc: false, health: "healthy")["Status"]);
        Assert.Equal("Exited (137) 2 seconds ago (unhealthy)", PsRow.Json(Config(), exited, now, health: "unhealthy")["Status"]);
        Assert.Equal("Up 20 seconds ago", PsRow.Status(Running, now));
    }

    [Fact]
    public void Commands_are_cut_at_17_characters_as_podman_does()
    {
        Assert.Equal("sh -c echo aaaaaa...\n", Render("{{.Command}}", (Config(cmd: ["sh", "-c", "echo " + new string('a', 43)]), new ContainerState())));
        Assert.Equal(
            "sh -c echo " + new string('a', 43) + "\n",
            OutputFormat.Parse("{{.Command}}", DefaultTable, "ps").RenderOne(PsRow.Build(Config(cmd: ["sh", "-c", "echo " + new string('a', 43)]), new ContainerState(), Created, noTrunc: true)));
    }

    [Fact]
    public void Default_and_custom_tables_have_podmans_titles()
    {
        string table = Render(null!, (Config(), new ContainerState()), (Config("c2"), Running));
        Assert.Equal(
            "CONTAINER ID   IMAGE                      COMMAND     CREATED          STATUS              PORTS                   NAMES\n" +
            "d0e249c7e101   localhost/busybox:latest   sleep 100   21 seconds ago   Created             0.0.0.0:18090->80/tcp   c1\n" +
            "d0e249c7e101   localhost/busybox:latest   sleep 100   21 seconds ago   Up 20 seconds ago                           c2\n",
            table);
        Assert.Equal(
            "CONTAINER ID   IMAGE ID       CREATED AT                         RUNNING FOR      EXIT CODE   POD ID    CGROUPNS   USERNS\n" +
            // Empty cells are padded to their column (EXIT CODE 12, POD ID the minimum 10, CGROUPNS 11), the last one is not.
            "d0e249c7e101   77f9985578b4   2026-12-01 18:42:01.36 +0000 UTC   21 seconds ago   0" + new string(' ', 11 + 10 + 11) + "\n",
            Render("table {{.ID}}\\t{{.ImageID}}\\t{{.CreatedAt}}\\t{{.RunningFor}}\\t{{.ExitCode}}\\t{{.Pod}}\\t{{.Cgroup}}\\t{{.User}}", (Config(), new ContainerState())));
    }

    [Fact]
    public void Unknown_fields_fail_as_in_podman()
    {
        var error = Assert.Throws<TemplateException>(() => Render("{{.Nope}}", (Config(), new ContainerState())));
        Assert.Equal("template: ps:1:2: executing \"ps\" at <.Nope>: can't evaluate field Nope in type containers.psReporter", error.Message);
        Assert.Equal("template: ps:1: function \"nosuch\" not defined", Assert.Throws<TemplateException>(() => Render("{{nosuch .ID}}")).Message);
    }

    [Fact]
    public void Json_is_podmans_list_container()
    {
        var state = new ContainerState { Status = ContainerStatus.Running, Pid = 16044, StartedAt = Created.AddSeconds(1) };
        string json = JsonOutput.Serialize(new List<object?> { PsRow.Json(Config(), state, Created.AddSeconds(3)), PsRow.Json(Config("c2"), new ContainerState(), Created.AddSeconds(3)) }, indented: true, indentSize: 2);
        Assert.StartsWith("[\n  {\n    \"AutoRemove\": false,\n    \"Command\": [\n      \"sleep\",", json);
        JsonElement[] rows = [.. JsonDocument.Parse(json).RootElement.EnumerateArray()];
        Assert.Equal(
            ["AutoRemove", "Command", "CreatedAt", "Exited", "ExitedAt", "ExitCode", "Id", "Image", "ImageID", "IsInfra", "Labels", "Mounts", "Names", "Namespaces",
             "Networks", "Pid", "Pod", "PodName", "Ports", "Size", "StartedAt", "State", "Status", "Created"],
            rows[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("3 seconds ago", rows[0].GetProperty("CreatedAt").GetString());
        Assert.Equal(1796150522, rows[0].GetProperty("StartedAt").GetInt64());
        Assert.Equal(-62135596800, rows[0].GetProperty("ExitedAt").GetInt64());
        Assert.Equal(1796150521, rows[0].GetProperty("Created").GetInt64());
        Assert.Equal("77f9985578b4" + new string('0', 52), rows[0].GetProperty("ImageID").GetString());
        Assert.Equal("""[{"host_ip":"","container_port":80,"host_port":18090,"range":1,"protocol":"tcp"}]""", Compact(rows[0].GetProperty("Ports")));
        Assert.Equal("""{"app":"web","x":"y"}""", Compact(rows[0].GetProperty("Labels")));
        Assert.Equal("""["c1"]""", Compact(rows[0].GetProperty("Names")));
        Assert.Equal("Up 2 seconds ago", rows[0].GetProperty("Status").GetString());
        Assert.Equal("null|null|null|[]", $"{Compact(rows[1].GetProperty("Labels"))}|{Compact(rows[1].GetProperty("Ports"))}|{Compact(rows[1].GetProperty("Size"))}|{Compact(rows[1].GetProperty("Networks"))}");
    }

    [Fact]
    public void Size_prints_as_podmans_with_size_and_empty_without()
    {
        var size = new ContainerSize(1500019, 1982307);
        Assert.Equal("1.5MB (virtual 1.98MB)", PsRow.Build(Config(), new ContainerState(), Created, noTrunc: false, size)["Size"]);
        Assert.Equal("0B (virtual 0B)", PsRow.Build(Config(), new ContainerState(), Created, noTrunc: false, new ContainerSize(0, 0))["Size"]);
        Assert.Equal(string.Empty, PsRow.Build(Config(), new ContainerState(), Created, noTrunc: false)["Size"]);
        string json = JsonOutput.Serialize(new List<object?> { PsRow.Json(Config(), new ContainerState(), Created, size) }, indented: true, indentSize: 2);
        Assert.Equal("""{"rootFsSize":1982307,"rwSize":1500019}""", Compact(JsonDocument.Parse(json).RootElement[0].GetProperty("Size")));
        Assert.Equal(
            "CONTAINER ID   NAMES     SIZE\nd0e249c7e101   c1        1.5MB (virtual 1.98MB)\n",
            OutputFormat.Parse("table {{.ID}}\\t{{.Names}}\\t{{.Size}}", DefaultTable, "ps").Render(
                [PsRow.Build(Config(), new ContainerState(), Created, noTrunc: false, size)], TableHeader.Build(PsRow.TypeName, PsRow.Fields, PsRow.Titles)));
    }

    private static string Compact(JsonElement element) => JsonOutput.Serialize(element, indented: false);
}

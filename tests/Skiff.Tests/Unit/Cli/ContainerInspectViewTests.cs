using System.Text.Json.Nodes;
using Skiff.Cli.Commands.Containers;
using Skiff.Runtime.Lifecycle;
using Xunit;

namespace Skiff.Tests.Unit.Cli;

/// <summary>inspect's and ps's --format values as podman 4.3 prints them (checked on this machine).</summary>
public sealed class ContainerInspectViewTests
{
    [Fact]
    public void Times_in_templates_print_as_go_prints_a_time()
    {
        JsonNode data = JsonNode.Parse("""{"Created":"2026-12-01T16:17:19.670089Z","State":{"StartedAt":"0001-01-01T00:00:00Z"},"Name":"2026-12-01T16:17:19Z"}""")!;
        Assert.Equal(
            "2026-12-01 16:17:19.670089 +0000 UTC|0001-01-01 00:00:00 +0000 UTC|\"2026-12-01T16:17:19.670089Z\"|2026-12-01T16:17:19Z",
            SimpleTemplate.Render("{{.Created}}|{{.State.StartedAt}}|{{json .Created}}|{{.Name}}", data, ContainerView.InspectTimes));
        Assert.Equal("2026-12-01T16:17:19.670089Z", SimpleTemplate.Render("{{.Created}}", data));
    }

    [Fact]
    public void Json_times_are_rfc3339_without_trailing_zeros()
    {
        Assert.Equal("2026-12-01T16:17:19.67Z", ContainerView.Rfc3339(new DateTimeOffset(2026, 12, 1, 16, 17, 19, 670, TimeSpan.Zero)));
    }

    [Fact]
    public void Ps_created_fields_are_go_times()
    {
        var created = new DateTimeOffset(2026, 12, 1, 16, 17, 19, TimeSpan.Zero);
        ContainerConfig config = new() { Id = new string('a', 64), Name = "n", Created = created, Image = "localhost/busybox:latest", Runtime = "runc" };
        Dictionary<string, string> fields = ContainerView.PsFields(config, new ContainerState(), created.AddSeconds(5), noTrunc: false);
        Assert.Equal("2026-12-01 16:17:19 +0000 UTC", fields["CreatedAt"]);
        Assert.Equal("2026-12-01 16:17:19 +0000 UTC", fields["Created"]);
        Assert.Equal("5 seconds ago", fields["RunningFor"]);
    }
}
